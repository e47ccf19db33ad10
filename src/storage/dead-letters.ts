/**
 * Dead letters in RELAY_STATE: the only module that knows their keys.
 *
 * `dead:<id>` → the record (JSON); `dead-index:<inverted time>:<id>` → "",
 * with the summary as metadata, so KV's `list` (ascending by key) returns
 * them newest first, summaries included, without reading each record. The id
 * is the delivery's (src/storage/delivery-message.ts). Both are kept 30 days
 * (src/lib/limits.ts). KV caps metadata at 1024 bytes of JSON, so the
 * summary's free text (triggerId, up to 256 characters that JSON may escape
 * sixfold, and the reason) is cut there to fit; the record keeps both whole.
 *
 * An index entry counts only while its record exists, is still `dead`, and
 * names this entry as its own (a notice delivered twice leaves a second
 * entry; a replay or a delete removes the entry but KV lists lag behind).
 * Listing skips the others rather than deleting them: KV is eventually
 * consistent, and a read here that saw an older record could otherwise delete
 * a live entry. Skipped entries expire with their TTL.
 */

import { RETENTION_SECONDS } from "../config/shared.ts";
import { truncate } from "../lib/truncate.ts";
import type { DeliveryMessage } from "./delivery-message.ts";

export const DEAD_LETTER_TTL_SECONDS = RETENTION_SECONDS;

/** What the listing shows of a dead letter. */
export interface DeadLetterSummary {
  readonly id: string;
  readonly triggerId: string;
  readonly destination: string;
  readonly reason: string;
  readonly attempts: number;
  readonly deadAt: string;
}

export interface DeadLetterRecord extends DeadLetterSummary {
  readonly appCode?: string;
  readonly type: string;
  readonly lastStatus: number | null;
  readonly state: "dead" | "replayed";
  /** When an operator replayed it (src/admin/replay.ts). */
  readonly replayedAt?: string;
  readonly indexKey: string;
  readonly delivery: DeliveryMessage;
  /** The event body as Gitple sent it (null when its stored copy had expired). */
  readonly event: string | null;
}

/** A dead letter as the consumer gives it up: everything but what this module derives. */
export type NewDeadLetter = Omit<DeadLetterRecord, "state" | "indexKey" | "replayedAt">;

export interface DeadLetterPage {
  readonly items: DeadLetterSummary[];
  /** Pass as `?cursor=` for the next page; null on the last one. */
  readonly cursor: string | null;
}

/** The record's key: exported for tests that look at KV directly. */
export const deadLetterKey = (id: string): string => `dead:${id}`;

const INDEX_PREFIX = "dead-index:";
const INDEX_ENTRY = /^dead-index:\d{13}:(.+)$/;
/** Inverted so that KV's ascending `list` is newest first. */
const TIME_CEILING = 9_999_999_999_999;
/** How many KV list calls one page may take to fill up past skipped entries. */
const MAX_LIST_ROUNDS = 5;
/** KV refuses metadata whose JSON is longer. */
const MAX_METADATA_BYTES = 1024;
const encoder = new TextEncoder();

function indexKey(deadAt: string, id: string): string {
  const inverted = String(TIME_CEILING - Date.parse(deadAt)).padStart(13, "0");
  return `${INDEX_PREFIX}${inverted}:${id}`;
}

/** The id an index entry points at, or undefined when the key is not one. */
const indexedId = (key: string): string | undefined => INDEX_ENTRY.exec(key)?.[1];

/** The summary projection: what the listing and the index metadata hold. */
export function summaryOf(r: DeadLetterSummary): DeadLetterSummary {
  const { id, triggerId, destination, reason, attempts, deadAt } = r;
  return { id, triggerId, destination, reason, attempts, deadAt };
}

/** The summary as index metadata: triggerId and reason cut (shorter and shorter) until its JSON fits. */
function indexMetadata(summary: DeadLetterSummary): DeadLetterSummary {
  let meta = summary;
  for (let keep = 128; encoder.encode(JSON.stringify(meta)).byteLength > MAX_METADATA_BYTES && keep >= 1; keep >>= 1) {
    meta = { ...summary, triggerId: truncate(summary.triggerId, keep), reason: truncate(summary.reason, keep) };
  }
  return meta;
}

async function put(kv: KVNamespace, record: DeadLetterRecord): Promise<void> {
  const ttl = { expirationTtl: DEAD_LETTER_TTL_SECONDS };
  await kv.put(deadLetterKey(record.id), JSON.stringify(record), ttl);
  await kv.put(record.indexKey, "", { ...ttl, metadata: indexMetadata(summaryOf(record)) });
}

/**
 * Writes a new dead letter (record and index entry), kept 30 days. Throws when KV fails.
 *
 * @example
 * const record = await writeDeadLetter(env.RELAY_STATE, { id, triggerId, destination, reason, attempts, deadAt, type, lastStatus, delivery, event });
 */
export async function writeDeadLetter(kv: KVNamespace, entry: NewDeadLetter): Promise<DeadLetterRecord> {
  // Field by field, in the order records have always been written.
  const { id, triggerId, destination, reason, attempts, deadAt, appCode, type, lastStatus, delivery, event } = entry;
  const record: DeadLetterRecord = {
    ...{ id, triggerId, destination, reason, attempts, deadAt, appCode, type, lastStatus },
    state: "dead",
    indexKey: indexKey(deadAt, id),
    delivery,
    event,
  };
  await put(kv, record);
  return record;
}

/**
 * Puts a record back as it was read (and its index entry), after a replay that failed half-way.
 *
 * @example
 * await restoreDeadLetter(env.RELAY_STATE, record);
 */
export async function restoreDeadLetter(kv: KVNamespace, record: DeadLetterRecord): Promise<void> {
  await put(kv, record);
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
    const listed = await kv.list({ prefix: INDEX_PREFIX, limit: page.limit - items.length, cursor });
    const entries = listed.keys.flatMap((k) => {
      const id = indexedId(k.name);
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

/**
 * The record, or null when unknown (or expired). Throws when KV fails.
 *
 * @example
 * const record = await getDeadLetter(env.RELAY_STATE, "3f1c….ops");
 */
export async function getDeadLetter(kv: KVNamespace, id: string): Promise<DeadLetterRecord | null> {
  return kv.get<DeadLetterRecord>(deadLetterKey(id), "json");
}

/**
 * Removes the record and its index entry: the id is unknown from now on.
 *
 * @example
 * await deleteDeadLetter(env.RELAY_STATE, record);
 */
export async function deleteDeadLetter(kv: KVNamespace, record: DeadLetterRecord): Promise<void> {
  await kv.delete(deadLetterKey(record.id));
  await kv.delete(record.indexKey);
}

/**
 * Marks the record replayed (kept until its 30 days end) and takes it off the listing.
 *
 * @example
 * await markReplayed(env.RELAY_STATE, record);
 */
export async function markReplayed(kv: KVNamespace, record: DeadLetterRecord, now = new Date()): Promise<void> {
  const replayed: DeadLetterRecord = { ...record, state: "replayed", replayedAt: now.toISOString() };
  const nowSeconds = Math.floor(now.getTime() / 1000);
  const ends = Math.floor(Date.parse(record.deadAt) / 1000) + DEAD_LETTER_TTL_SECONDS;
  const expiration = Number.isFinite(ends) ? Math.max(ends, nowSeconds + 60) : nowSeconds + DEAD_LETTER_TTL_SECONDS;
  await kv.put(deadLetterKey(record.id), JSON.stringify(replayed), { expiration });
  await kv.delete(record.indexKey);
}
