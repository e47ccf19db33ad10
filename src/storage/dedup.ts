/**
 * First layer of "nothing twice": a DEDUP key per accepted event,
 * `dedup:<eventKey>` (src/storage/event-key.ts) → the accepted record as JSON,
 * kept `dedup_ttl_seconds`. It is written only after every delivery is on the
 * queue: a failure before that leaves no key, and Gitple's retry is accepted
 * as new.
 *
 * The race this leaves, plainly: KV is eventually consistent and has no
 * compare-and-set. Two copies of one event that arrive close together (or at
 * two edge locations within KV's propagation delay, up to about a minute) can
 * both read "absent" and both be queued. That is why this is only the first
 * layer: the delivery consumer claims each (event, destination) pair in a
 * Durable Object (src/delivery/claims.ts) before posting, and a second copy
 * finds it claimed or done and posts nothing. The same guard covers a KV write
 * that fails after queueing (we answer 503; the sender's retry is queued again).
 */

/** KV refuses a shorter `expirationTtl`. */
const KV_MIN_TTL_SECONDS = 60;

/** The dedup key of an event: exported for tests that look at KV directly. */
export const dedupKey = (eventKey: string): string => `dedup:${eventKey}`;

/** What the dedup key remembers about the accepted event. */
export interface AcceptedRecord {
  readonly triggerId: string;
  readonly appCode?: string;
  readonly type: string;
  readonly acceptedAt: string;
  readonly destinations: readonly string[];
}

/**
 * True when the event was already accepted. Throws when KV fails (the caller answers 503).
 *
 * @example
 * if (await seenBefore(env.DEDUP, await eventKey(appCode, triggerId))) return duplicate;
 */
export async function seenBefore(kv: KVNamespace, eventKey: string): Promise<boolean> {
  return (await kv.get(dedupKey(eventKey))) !== null;
}

/**
 * Remembers the event for `ttlSeconds` (KV's minimum is 60). Throws when KV fails.
 *
 * @example
 * await remember(env.DEDUP, key, { triggerId, appCode, type, acceptedAt, destinations }, config.dedup_ttl_seconds);
 */
export async function remember(
  kv: KVNamespace,
  eventKey: string,
  record: AcceptedRecord,
  ttlSeconds: number,
): Promise<void> {
  await kv.put(dedupKey(eventKey), JSON.stringify(record), {
    expirationTtl: Math.max(KV_MIN_TTL_SECONDS, ttlSeconds),
  });
}
