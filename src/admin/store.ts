/**
 * The admin API's view of the dead-letter KV layout that
 * src/delivery/dead-letters.ts writes: `dead:<id>` holds the record,
 * `dead-index:<inverted time>:<id>` lists it newest first.
 *
 * An index entry counts only while its record exists, is still `dead`, and
 * names this entry as its own (a notice delivered twice leaves a second
 * entry; a replay or a delete removes the entry but KV lists lag behind).
 * Listing skips the others rather than deleting them: KV is eventually
 * consistent, and a read here that saw an older record could otherwise delete
 * a live entry. Skipped entries expire with their 30-day TTL.
 */
import {
  DEAD_INDEX_PREFIX,
  DEAD_LETTER_TTL_SECONDS,
  type DeadLetterRecord,
  type DeadLetterSummary,
  deadLetterKey,
} from "../delivery/dead-letters.ts";

export interface DeadLetterPage {
  readonly items: DeadLetterSummary[];
  /** Pass as `?cursor=` for the next page; null on the last one. */
  readonly cursor: string | null;
}

/** How many KV list calls one page may take to fill up past skipped entries. */
const MAX_LIST_ROUNDS = 5;
const INDEX_ENTRY = /^dead-index:\d{13}:(.+)$/;

function summaryOf(r: DeadLetterRecord): DeadLetterSummary {
  return {
    id: r.id,
    triggerId: r.triggerId,
    destination: r.destination,
    reason: r.reason,
    attempts: r.attempts,
    deadAt: r.deadAt,
  };
}

/**
 * One page of live dead letters, newest first. Throws when KV fails (a bad cursor included).
 *
 * @example
 * const first = await listDeadLetters(env.RELAY_STATE, { limit: 50 });
 * const next = first.cursor ? await listDeadLetters(env.RELAY_STATE, { limit: 50, cursor: first.cursor }) : undefined;
 */
export async function listDeadLetters(
  kv: KVNamespace,
  page: { limit: number; cursor?: string },
): Promise<DeadLetterPage> {
  const items: DeadLetterSummary[] = [];
  let cursor = page.cursor;
  for (let round = 0; round < MAX_LIST_ROUNDS && items.length < page.limit; round++) {
    // Ask for exactly what is missing, so the cursor never skips an unseen entry.
    const listed = await kv.list({ prefix: DEAD_INDEX_PREFIX, limit: page.limit - items.length, cursor });
    const entries = listed.keys.flatMap((k) => {
      const id = INDEX_ENTRY.exec(k.name)?.[1];
      return id === undefined ? [] : [{ indexKey: k.name, id }];
    });
    if (entries.length > 0) {
      const records = await kv.get<DeadLetterRecord>(
        entries.map((e) => deadLetterKey(e.id)),
        "json",
      );
      for (const e of entries) {
        const record = records.get(deadLetterKey(e.id));
        if (record && record.state === "dead" && record.indexKey === e.indexKey) items.push(summaryOf(record));
      }
    }
    cursor = listed.list_complete ? undefined : listed.cursor;
    if (cursor === undefined) break;
  }
  return { items, cursor: cursor ?? null };
}

/** The record, or null when unknown (or expired). Throws when KV fails. */
export async function getDeadLetter(kv: KVNamespace, id: string): Promise<DeadLetterRecord | null> {
  return kv.get<DeadLetterRecord>(deadLetterKey(id), "json");
}

/** Removes the record and its index entry: the id is unknown from now on. */
export async function deleteDeadLetter(kv: KVNamespace, record: DeadLetterRecord): Promise<void> {
  await kv.delete(deadLetterKey(record.id));
  await kv.delete(record.indexKey);
}

/** Marks the record replayed (kept until its 30 days end) and takes it off the listing. */
export async function markReplayed(kv: KVNamespace, record: DeadLetterRecord, now = new Date()): Promise<void> {
  const replayed: DeadLetterRecord = { ...record, state: "replayed", replayedAt: now.toISOString() };
  const nowSeconds = Math.floor(now.getTime() / 1000);
  const ends = Math.floor(Date.parse(record.deadAt) / 1000) + DEAD_LETTER_TTL_SECONDS;
  const expiration = Number.isFinite(ends) ? Math.max(ends, nowSeconds + 60) : nowSeconds + DEAD_LETTER_TTL_SECONDS;
  await kv.put(deadLetterKey(record.id), JSON.stringify(replayed), { expiration });
  await kv.delete(record.indexKey);
}
