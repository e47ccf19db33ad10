/**
 * The event body a delivery carries: inline in the queue message when small,
 * else one RELAY_STATE copy per event, `payload:<eventKey>` → the body as
 * Gitple sent it, referenced from every message of that event (a queue
 * message holds at most 128 KB, an accepted event up to 256 KiB). A notice
 * with a body per destination stores each distinct one (src/storage/notice.ts).
 *
 * The copy is kept as long as a dead letter (src/lib/limits.ts), so a replay
 * finds it; a replay whose copy has expired restores it from the dead letter,
 * which keeps the body too. Trade-off: one KV write per large event, and a
 * read per delivery attempt of it.
 */
import { RETENTION_SECONDS } from "../config/shared.ts";

/** Kept long enough for every retry at the longest backoff, and for a dead letter's replay. */
export const PAYLOAD_TTL_SECONDS = RETENTION_SECONDS;

/** How a queue message carries the event body: the body itself, or the RELAY_STATE key of its copy. */
export type EventPayload = { readonly inline: string } | { readonly kv: string };

/** The copy's key: exported for tests that look at KV directly. */
export const payloadKey = (eventKey: string): string => `payload:${eventKey}`;

/**
 * Stores the body of a large event; resolves to the reference its messages carry. Throws when KV fails.
 *
 * @example
 * const payload = big ? await storePayload(env.RELAY_STATE, key, raw) : { inline: raw };
 */
export async function storePayload(kv: KVNamespace, eventKey: string, raw: string): Promise<EventPayload> {
  const key = payloadKey(eventKey);
  await kv.put(key, raw, { expirationTtl: PAYLOAD_TTL_SECONDS });
  return { kv: key };
}

/**
 * The event body: inline, or the stored copy (null when it has expired). Throws when KV fails.
 *
 * @example
 * const raw = await loadPayload(env.RELAY_STATE, message.payload);
 */
export async function loadPayload(kv: KVNamespace, payload: EventPayload): Promise<string | null> {
  return "inline" in payload ? payload.inline : await kv.get(payload.kv);
}

/**
 * Before a replay: makes sure the body is there again, writing it back from `body` (the dead
 * letter's copy) when it has one. False when the body is gone for good. Throws when KV fails.
 *
 * @example
 * if (!(await restorePayload(env.RELAY_STATE, record.delivery.payload, record.event))) return gone;
 */
export async function restorePayload(kv: KVNamespace, payload: EventPayload, body: string | null): Promise<boolean> {
  if ("inline" in payload) return true;
  if (body !== null) {
    await kv.put(payload.kv, body, { expirationTtl: PAYLOAD_TTL_SECONDS });
    return true;
  }
  return (await kv.get(payload.kv)) !== null;
}
