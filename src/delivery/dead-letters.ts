/**
 * The DEAD_LETTERS queue's consumer: deliveries that will not be retried any
 * more become dead letters (src/storage/dead-letters.ts), kept 30 days with
 * their reason, attempts, last status and the event, so an operator can read,
 * replay or delete them (src/admin).
 *
 * Two ways in, one way to record: the consumer sends a `DeadLetterNotice` to
 * the DEAD_LETTERS queue when it gives up (a permanent 4xx at once, or after
 * `max_attempts`); and Queues itself moves a plain `DeliveryMessage` there when
 * the consumer kept crashing past `max_retries`. This consumer writes both.
 * The record's id is the delivery's id, so a notice delivered twice writes the
 * same record twice (an extra index entry at most, which the listing skips).
 */
import { digestFor } from "../digest-figures/stub.ts";
import type { RawEvent } from "../event/raw.ts";
import { viewEvent } from "../event/view.ts";
import { errorText, log } from "../log/log.ts";
import { countDeadLetter, type MetricsEnv } from "../log/metrics.ts";
import { digestsOf } from "../routing/digests.ts";
import { loadRouting } from "../routing/load.ts";
import { type DeadLetterRecord, writeDeadLetter } from "../storage/dead-letters.ts";
import { type DeliveryMessage, deliveryId, isDeliveryMessage } from "../storage/delivery-message.ts";
import { loadPayload } from "../storage/payload.ts";
import { claimsFor } from "./claims.ts";

export interface DeadLetterNotice {
  readonly kind: "dead-letter";
  readonly delivery: DeliveryMessage;
  readonly reason: string;
  readonly attempts: number;
  readonly lastStatus: number | null;
  readonly deadAt: string;
}

/** Writes the dead letter's record and index entry. Throws when KV fails (the queue retries). */
export async function recordDeadLetter(
  env: Pick<Env, "RELAY_STATE"> & MetricsEnv,
  notice: DeadLetterNotice,
): Promise<DeadLetterRecord> {
  const m = notice.delivery;
  const record = await writeDeadLetter(env.RELAY_STATE, {
    id: deliveryId(m),
    triggerId: m.triggerId,
    destination: m.destination,
    reason: notice.reason.slice(0, 300),
    attempts: notice.attempts,
    deadAt: notice.deadAt,
    appCode: m.appCode,
    type: m.type,
    lastStatus: notice.lastStatus,
    delivery: m,
    event: await loadPayload(env.RELAY_STATE, m.payload),
  });
  countDeadLetter(env, { type: m.type, destination: m.destination, status: notice.lastStatus, appCode: m.appCode });
  log("error", "dead letter", {
    triggerId: m.triggerId,
    type: m.type,
    destination: m.destination,
    outcome: "dead",
    reason: record.reason,
    status: notice.lastStatus,
    attempts: notice.attempts,
    deadLetterId: record.id,
  });
  return record;
}

/**
 * Each digest the dead-lettered event counts for (src/routing/digests.ts) counts one dead letter.
 * Best effort: a failure is logged, never retried (a retry would record the dead letter twice).
 */
async function countForDigests(env: Env, record: DeadLetterRecord): Promise<void> {
  try {
    const config = loadRouting(env);
    if (!config.ok || config.value.digests.length === 0 || record.event === null) return;
    const view = viewEvent(JSON.parse(record.event) as RawEvent);
    const note = { kind: "dead" as const, at: Date.parse(record.deadAt) };
    await Promise.all(digestsOf(config.value, view).map((name) => digestFor(env, name).note(name, note)));
  } catch (e) {
    log("warn", "dead letter not counted in digests", { triggerId: record.triggerId, error: errorText(e) });
  }
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
          await countForDigests(env, await recordDeadLetter(env, body));
        } else if (isDeliveryMessage(body)) {
          // Moved here by Queues after max_retries: the consumer kept failing.
          const claims = claimsFor(env, body.eventKey);
          const reason = `the queue gave up after ${message.attempts} deliveries (the consumer kept failing)`;
          const row = (await claims.states()).find((r) => r.destination === body.destination);
          if (row?.state === "delivered") return message.ack();
          await claims.failed(body.destination, { status: row?.lastStatus ?? null, reason, dead: true });
          const record = await recordDeadLetter(env, {
            kind: "dead-letter",
            delivery: body,
            reason,
            attempts: row?.attempts ?? 0,
            lastStatus: row?.lastStatus ?? null,
            deadAt: new Date().toISOString(),
          });
          await countForDigests(env, record);
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
