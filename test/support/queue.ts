// Worker-side helper: drives the DELIVERIES consumer directly, as production's
// concurrent consumers would, with an env of the test's choosing (e.g. a small
// backoff instead of the suite's 0). It plays the queue: a message the consumer
// retries is delivered again after the delay it asked for, until it is acked
// or `maxRounds` is reached.
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { claimsFor } from "../../src/delivery/claims.ts";
import relay from "../../src/index.ts";
import { type DeadLetterRecord, deadLetterKey } from "../../src/storage/dead-letters.ts";
import { type DeliveryMessage, deliveryId } from "../../src/storage/delivery-message.ts";
import { eventKey } from "../../src/storage/event-key.ts";
import { TEST_ROUTING } from "./test-env.ts";
import { closeEvent, receiverBase, waitFor } from "./worker.ts";

export const DELIVERIES_QUEUE = "gitple-relay-deliveries";

/** The suite's env with another delivery policy (and anything else overridden). */
export function envWith(delivery: Partial<(typeof TEST_ROUTING)["delivery"]>, overrides: Record<string, unknown> = {}) {
  return {
    ...env,
    ROUTING: { ...TEST_ROUTING, delivery: { ...TEST_ROUTING.delivery, ...delivery } },
    ...overrides,
  } as unknown as Env;
}

/** A delivery message for a fresh close event, as the producer would queue it. */
export async function deliveryFor(
  destination = "main-slack",
  event: Record<string, unknown> & { triggerId: string } = closeEvent(),
): Promise<DeliveryMessage> {
  return {
    v: 1,
    eventKey: await eventKey("TEST_APP", event.triggerId),
    triggerId: event.triggerId,
    appCode: "TEST_APP",
    type: String(event.type ?? "session_state_close"),
    destination,
    rules: ["closes"],
    acceptedAt: new Date().toISOString(),
    payload: { inline: JSON.stringify(event) },
  };
}

/** What the consumer did with each message of a batch; `delays` by message id (getQueueResult drops them). */
export interface ConsumeResult {
  readonly acked: readonly string[];
  readonly retried: readonly { id: string; delaySeconds?: number }[];
}

/** Runs one batch through the consumer; resolves to what it acked and retried, with the delays it asked for. */
export async function consume(
  bodies: readonly unknown[],
  runEnv: Env = env as Env,
  attempts = 1,
): Promise<ConsumeResult> {
  const batch = createMessageBatch(
    DELIVERIES_QUEUE,
    bodies.map((body, i) => ({ id: `m${i}-${crypto.randomUUID()}`, timestamp: new Date(), attempts, body })),
  );
  const delays = new Map<string, number | undefined>();
  for (const message of batch.messages) {
    const retry = message.retry.bind(message);
    message.retry = (options?: QueueRetryOptions) => {
      delays.set(message.id, options?.delaySeconds);
      retry(options);
    };
  }
  const ctx = createExecutionContext();
  await relay.queue(batch as MessageBatch<unknown>, runEnv);
  const result = await getQueueResult(batch, ctx);
  return {
    acked: result.explicitAcks,
    retried: result.retryMessages.map((m) => ({ id: m.msgId, delaySeconds: delays.get(m.msgId) })),
  };
}

export interface Round {
  readonly attempt: number;
  readonly outcome: "acked" | "retried";
  readonly delaySeconds?: number;
}

/**
 * Delivers one message again and again, waiting each retry's delay (for real),
 * until the consumer acks it.
 *
 * @example
 * const rounds = await drive(await deliveryFor(), envWith({ backoff_seconds: 1 }));
 * // → [{ attempt: 1, outcome: "retried", delaySeconds: 1 }, { attempt: 2, outcome: "acked" }]
 */
export async function drive(body: DeliveryMessage, runEnv: Env, maxRounds = 10): Promise<Round[]> {
  const rounds: Round[] = [];
  for (let attempt = 1; attempt <= maxRounds; attempt++) {
    const result = await consume([body], runEnv, attempt);
    const retry = result.retried[0];
    if (!retry) {
      rounds.push({ attempt, outcome: "acked" });
      return rounds;
    }
    rounds.push({ attempt, outcome: "retried", delaySeconds: retry.delaySeconds });
    await new Promise((r) => setTimeout(r, (retry.delaySeconds ?? 0) * 1000));
  }
  return rounds;
}

/** The dead letter of one delivery, once the DEAD_LETTERS consumer has recorded it. */
export async function deadLetterOf(triggerId: string, destination: string): Promise<DeadLetterRecord> {
  const id = deliveryId({ eventKey: await eventKey("TEST_APP", triggerId), destination });
  return waitFor(
    async () => (await env.RELAY_STATE.get<DeadLetterRecord>(deadLetterKey(id), "json")) ?? undefined,
    15_000,
    `dead letter ${id}`,
  );
}

/** The claim rows (state, attempts, last status) of an event's deliveries. */
export async function deliveryStates(triggerId: string) {
  return claimsFor(env, await eventKey("TEST_APP", triggerId)).states();
}

export interface Attempt {
  path: string;
  at: number;
  answer: number | "hang" | "reset";
}

/** Every request the fake receiver got whose body contains `match`, answered or not. */
export async function attemptsAt(match: string): Promise<Attempt[]> {
  return (await fetch(`${receiverBase()}/__attempts?match=${encodeURIComponent(match)}`)).json();
}
