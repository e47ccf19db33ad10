/**
 * Dead letters: deliveries that will not be retried any more, kept in
 * RELAY_STATE for 30 days with their reason, attempts, last status and the
 * event, so an operator can read, replay or delete them (src/admin).
 *
 * Two ways in, one way to record: the consumer sends a `DeadLetterNotice` to
 * the DEAD_LETTERS queue when it gives up (a permanent 4xx at once, or after
 * `max_attempts`); and Queues itself moves a plain `DeliveryMessage` there when
 * the consumer kept crashing past `max_retries`. The DEAD_LETTERS consumer
 * writes both. The record's id is the delivery's id, so a notice delivered
 * twice writes the same record twice (an extra index entry at most, which the
 * listing skips).
 *
 * Listing newest first on KV, whose `list` is ascending by key: an index key
 * `dead-index:<inverted time>:<id>` whose metadata holds the summary. KV caps
 * metadata at 1024 bytes of JSON, so the summary's free text (triggerId, up to
 * 256 characters that JSON may escape sixfold, and the reason) is cut there to
 * fit; the record keeps both whole.
 */
import { errorText, log } from "../log/log.ts";
import { countDeadLetter, type MetricsEnv } from "../log/metrics.ts";
import { claimsFor } from "./claims.ts";
import { type DeliveryMessage, deliveryId, isDeliveryMessage } from "./message.ts";

export const DEAD_LETTER_TTL_SECONDS = 30 * 24 * 3600;

export interface DeadLetterNotice {
  readonly kind: "dead-letter";
  readonly delivery: DeliveryMessage;
  readonly reason: string;
  readonly attempts: number;
  readonly lastStatus: number | null;
  readonly deadAt: string;
}

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

export const deadLetterKey = (id: string): string => `dead:${id}`;
export const DEAD_INDEX_PREFIX = "dead-index:";

/** KV refuses metadata whose JSON is longer. */
const MAX_METADATA_BYTES = 1024;
const encoder = new TextEncoder();

/** The summary as index metadata: triggerId and reason cut (shorter and shorter) until its JSON fits. */
function indexMetadata(summary: DeadLetterSummary): DeadLetterSummary {
  let meta = summary;
  for (let keep = 128; encoder.encode(JSON.stringify(meta)).byteLength > MAX_METADATA_BYTES && keep >= 1; keep >>= 1) {
    meta = { ...summary, triggerId: cut(summary.triggerId, keep), reason: cut(summary.reason, keep) };
  }
  return meta;
}

/** At most `max` UTF-16 units, ending with "…" when cut, never splitting a surrogate pair. */
function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  const end = /[\uD800-\uDBFF]/.test(text.charAt(max - 2)) ? max - 2 : max - 1;
  return `${text.slice(0, end)}…`;
}

function indexKey(deadAt: string, id: string): string {
  const inverted = String(9_999_999_999_999 - Date.parse(deadAt)).padStart(13, "0");
  return `${DEAD_INDEX_PREFIX}${inverted}:${id}`;
}

/** Reads an event body from its message: inline, or the stored copy. */
export async function loadPayload(env: Pick<Env, "RELAY_STATE">, m: DeliveryMessage): Promise<string | null> {
  return "inline" in m.payload ? m.payload.inline : await env.RELAY_STATE.get(m.payload.kv);
}

/** Writes a record and its index entry (the summary as metadata), kept 30 days. Throws when KV fails. */
export async function writeDeadLetter(kv: KVNamespace, record: DeadLetterRecord): Promise<void> {
  const { id, triggerId, destination, reason, attempts, deadAt } = record;
  const summary: DeadLetterSummary = { id, triggerId, destination, reason, attempts, deadAt };
  const ttl = { expirationTtl: DEAD_LETTER_TTL_SECONDS };
  await kv.put(deadLetterKey(id), JSON.stringify(record), ttl);
  await kv.put(record.indexKey, "", { ...ttl, metadata: indexMetadata(summary) });
}

/** Writes the dead letter's record and index entry. Throws when KV fails (the queue retries). */
export async function recordDeadLetter(
  env: Pick<Env, "RELAY_STATE"> & MetricsEnv,
  notice: DeadLetterNotice,
): Promise<DeadLetterRecord> {
  const m = notice.delivery;
  const id = deliveryId(m);
  const summary: DeadLetterSummary = {
    id,
    triggerId: m.triggerId,
    destination: m.destination,
    reason: notice.reason.slice(0, 300),
    attempts: notice.attempts,
    deadAt: notice.deadAt,
  };
  const record: DeadLetterRecord = {
    ...summary,
    appCode: m.appCode,
    type: m.type,
    lastStatus: notice.lastStatus,
    state: "dead",
    indexKey: indexKey(notice.deadAt, id),
    delivery: m,
    event: await loadPayload(env, m),
  };
  await writeDeadLetter(env.RELAY_STATE, record);
  countDeadLetter(env, { type: m.type, destination: m.destination, status: notice.lastStatus, appCode: m.appCode });
  log("error", "dead letter", {
    triggerId: m.triggerId,
    type: m.type,
    destination: m.destination,
    outcome: "dead",
    reason: summary.reason,
    status: notice.lastStatus,
    attempts: notice.attempts,
    deadLetterId: id,
  });
  return record;
}

/** A dead-letter notice the consumer sent (as opposed to a delivery Queues moved on its own). */
export function isNotice(body: unknown): body is DeadLetterNotice {
  return (
    typeof body === "object" &&
    body !== null &&
    (body as { kind?: unknown }).kind === "dead-letter" &&
    isDeliveryMessage((body as { delivery?: unknown }).delivery)
  );
}

/** The DEAD_LETTERS queue's consumer. */
export async function handleDeadLetters(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  await Promise.all(
    batch.messages.map(async (message) => {
      try {
        const body = message.body;
        if (isNotice(body)) {
          await recordDeadLetter(env, body);
        } else if (isDeliveryMessage(body)) {
          // Moved here by Queues after max_retries: the consumer kept failing.
          const claims = claimsFor(env, body.eventKey);
          const reason = `the queue gave up after ${message.attempts} deliveries (the consumer kept failing)`;
          const row = (await claims.states()).find((r) => r.destination === body.destination);
          if (row?.state === "delivered") return message.ack();
          await claims.failed(body.destination, { status: row?.lastStatus ?? null, reason, dead: true });
          await recordDeadLetter(env, {
            kind: "dead-letter",
            delivery: body,
            reason,
            attempts: row?.attempts ?? 0,
            lastStatus: row?.lastStatus ?? null,
            deadAt: new Date().toISOString(),
          });
        } else {
          log("error", "unreadable dead-letter message dropped", { queue: batch.queue });
        }
        message.ack();
      } catch (e) {
        log("error", "dead letter not recorded yet; will retry", { queue: batch.queue, error: errorText(e) });
        message.retry({ delaySeconds: 30 });
      }
    }),
  );
}
