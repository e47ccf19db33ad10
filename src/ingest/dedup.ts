/**
 * First layer of "nothing twice": a KV key per accepted event.
 *
 * The key is `dedup:` + SHA-256 of (appCode, triggerId), so one workspace's ids
 * never collide with another's and ids of any length make a fixed-size key. It
 * is written only after every delivery is on the queue: a failure before that
 * leaves no key, and Gitple's retry is accepted as new.
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

const encoder = new TextEncoder();

/**
 * The event's identity: hex SHA-256 over a versioned prefix, appCode and triggerId.
 *
 * @example
 * await eventKey("MY_APP", "trigger-1") // "3f1c…" (64 hex digits)
 */
export async function eventKey(appCode: string | undefined, triggerId: string): Promise<string> {
  const digest = await crypto.subtle.digest(
    "SHA-256",
    encoder.encode(`gitple-relay/v1\u0000${appCode ?? ""}\u0000${triggerId}`),
  );
  let hex = "";
  for (const b of new Uint8Array(digest)) hex += b.toString(16).padStart(2, "0");
  return hex;
}

export const dedupKey = (key: string): string => `dedup:${key}`;

/** What the dedup key remembers about the accepted event. */
export interface AcceptedRecord {
  readonly triggerId: string;
  readonly appCode?: string;
  readonly type: string;
  readonly acceptedAt: string;
  readonly destinations: readonly string[];
}

/** True when the event was already accepted. Throws when KV fails (the caller answers 503). */
export async function seenBefore(kv: KVNamespace, key: string): Promise<boolean> {
  return (await kv.get(dedupKey(key))) !== null;
}

/** Remembers the event for `ttlSeconds` (KV's minimum is 60). Throws when KV fails. */
export async function remember(
  kv: KVNamespace,
  key: string,
  record: AcceptedRecord,
  ttlSeconds: number,
): Promise<void> {
  await kv.put(dedupKey(key), JSON.stringify(record), { expirationTtl: Math.max(60, ttlSeconds) });
}
