/**
 * The delivery index: one RELAY_STATE record per accepted event, found by its
 * triggerId, so `GET /admin/deliveries` can say what happened to an event
 * (the per-destination states live in the claim Durable Object, named by the
 * record's eventKey).
 *
 * Layout: `delivery:<sha256(triggerId)>:<eventKey>` → the accepted record as
 * JSON. Hashing the triggerId gives a fixed-size key whose prefix cannot
 * swallow another id (`a` vs `a:b`); the eventKey part keeps one record per
 * appCode, so a prefix list by triggerId finds every workspace's event, and a
 * known appCode is a direct get. Kept max(dedup_ttl_seconds, 7 days).
 *
 * Trade-offs: the write is best effort, after the event is queued: a failure
 * loses this record (logged), never the event. KV is eventually consistent, so
 * a record can take up to a minute to be seen at another location.
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
 * Remembers an accepted event for the admin API. Never rejects: a failure is logged and swallowed.
 *
 * @example
 * await trackAccepted(env.RELAY_STATE, { eventKey, triggerId: "t1", type: "session_state_close", acceptedAt, destinations: ["ops"] }, 86400);
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
