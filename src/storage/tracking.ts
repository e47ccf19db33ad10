/**
 * The delivery index as it was until issue 13: one RELAY_STATE record per
 * accepted event, found by its triggerId. The event's record moved into its
 * claim Durable Object (src/storage/delivery-state.ts), which saves a KV write
 * per event; this record is now written only for an event whose routing is
 * deferred (issue 10: Gitple's names did not arrive in time), so that
 * `GET /admin/deliveries` shows `"routing": "deferred"` until the consumer
 * routes it and records it in the claim object, which then wins. Records
 * written before that deploy are still read until they expire (at least 7 days).
 *
 * Layout: `delivery:<sha256(triggerId)>:<eventKey>` → the accepted record as
 * JSON. Hashing the triggerId gives a fixed-size key whose prefix cannot
 * swallow another id (`a` vs `a:b`); the eventKey part keeps one record per
 * appCode, so a prefix list by triggerId finds every workspace's event, and a
 * known appCode is a direct get. Kept max(dedup_ttl_seconds, 7 days).
 *
 * KV is eventually consistent, so a record could take up to a minute to be
 * seen at another location.
 */
import { sha256Hex } from "../lib/sha256.ts";
import { errorText, log } from "../log/log.ts";
import type { AcceptedRecord } from "./dedup.ts";
import { eventKey } from "./event-key.ts";

/** The shortest time a delivery record is kept, whatever `dedup_ttl_seconds` says. */
export const TRACKING_MIN_TTL_SECONDS = 7 * 24 * 3600;
/** At most this many appCodes are reported for one triggerId. */
const MAX_EVENTS = 20;

export interface TrackedEvent extends AcceptedRecord {
  readonly eventKey: string;
  /** Issue 10: set while the event waits for names to be routed (destinations are then empty). */
  readonly routing?: "deferred";
}

async function triggerPrefix(triggerId: string): Promise<string> {
  return `delivery:${await sha256Hex(triggerId)}:`;
}

/**
 * The accepted events with this triggerId (one per appCode), newest first; `[]` when none is known.
 * Throws when KV fails.
 *
 * @example
 * await findAccepted(env.RELAY_STATE, "t1")            // every appCode's event
 * await findAccepted(env.RELAY_STATE, "t1", "MY_APP")  // at most one
 */
export async function findAccepted(kv: KVNamespace, triggerId: string, appCode?: string): Promise<TrackedEvent[]> {
  const prefix = await triggerPrefix(triggerId);
  let keys: string[];
  if (appCode !== undefined) {
    keys = [`${prefix}${await eventKey(appCode, triggerId)}`];
  } else {
    keys = (await kv.list({ prefix, limit: MAX_EVENTS })).keys.map((k) => k.name);
  }
  if (keys.length === 0) return [];
  const values = await kv.get<TrackedEvent>(keys, "json");
  const found: TrackedEvent[] = [];
  for (const value of values.values()) if (value !== null && value.triggerId === triggerId) found.push(value);
  return found.sort((a, b) => b.acceptedAt.localeCompare(a.acceptedAt));
}

/**
 * Writes the record of a deferred event. Never rejects: a failure is logged (the event is queued).
 *
 * @example
 * await trackAccepted(env.RELAY_STATE, { ...record, eventKey, routing: "deferred" }, config.dedup_ttl_seconds);
 */
export async function trackAccepted(kv: KVNamespace, event: TrackedEvent, dedupTtlSeconds: number): Promise<void> {
  try {
    const key = `${await triggerPrefix(event.triggerId)}${event.eventKey}`;
    const ttl = Math.max(dedupTtlSeconds, TRACKING_MIN_TTL_SECONDS);
    await kv.put(key, JSON.stringify(event), { expirationTtl: ttl });
  } catch (e) {
    log("warn", "delivery index write failed", {
      triggerId: event.triggerId,
      outcome: "untracked",
      error: errorText(e),
    });
  }
}
