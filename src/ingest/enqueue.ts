/**
 * Puts one message per (event, destination) on the DELIVERIES queue. Resolves
 * only when every message is durably queued, having added them to `queued`
 * when given (the ingest records them in the event's claim object); throws
 * otherwise (the ingest then answers 503 and writes no dedup key, so Gitple's
 * retry is accepted).
 *
 * It lives in ingest, not in src/delivery, because only ingest produces: the
 * consumer side shares nothing with it but the message format
 * (src/storage/delivery-message.ts). Large bodies are stored once in
 * RELAY_STATE and referenced (src/storage/payload.ts), because a queue
 * message holds at most 128 KB; batches are split to stay under `sendBatch`'s
 * 100 messages and 256 KB. Sizes are those of the messages as the queue stores
 * them (JSON): the body travels as a JSON string, where every `"` and `\` of it
 * is escaped again, so a message can be twice its body.
 */
import type { RoutedDestination } from "../routing/types.ts";
import { type DeliveryMessage, INLINE_PAYLOAD_BYTES } from "../storage/delivery-message.ts";
import { type EventPayload, storePayload } from "../storage/payload.ts";

/** Below `sendBatch`'s 256 KB, leaving room for the queue's own per-message overhead. */
const BATCH_BYTES = 200 * 1024;
const BATCH_COUNT = 100;
const encoder = new TextEncoder();

export interface AcceptedEvent {
  readonly eventKey: string;
  readonly triggerId: string;
  readonly appCode?: string;
  readonly type: string;
  readonly raw: string;
  readonly bodyBytes: number;
  readonly acceptedAt: string;
}

/**
 * @example
 * const queued: DeliveryMessage[] = [];
 * await enqueueDeliveries(env, accepted, decision.destinations, queued);
 */
export async function enqueueDeliveries(
  env: Pick<Env, "DELIVERIES" | "RELAY_STATE">,
  event: AcceptedEvent,
  destinations: readonly RoutedDestination[],
  queued?: DeliveryMessage[],
): Promise<void> {
  if (destinations.length === 0) return;
  const payload: EventPayload =
    event.bodyBytes > INLINE_PAYLOAD_BYTES
      ? await storePayload(env.RELAY_STATE, event.eventKey, event.raw)
      : { inline: event.raw };
  const messages: MessageSendRequest<DeliveryMessage>[] = destinations.map((d) => ({
    body: {
      v: 1,
      eventKey: event.eventKey,
      triggerId: event.triggerId,
      appCode: event.appCode,
      type: event.type,
      destination: d.name,
      rules: [...d.rules],
      acceptedAt: event.acceptedAt,
      payload,
    },
    contentType: "json",
  }));
  let batch: MessageSendRequest<DeliveryMessage>[] = [];
  let batchBytes = 0;
  for (const message of messages) {
    const bytes = encoder.encode(JSON.stringify(message.body)).byteLength;
    if (batch.length > 0 && (batch.length === BATCH_COUNT || batchBytes + bytes > BATCH_BYTES)) {
      await env.DELIVERIES.sendBatch(batch);
      batch = [];
      batchBytes = 0;
    }
    batch.push(message);
    batchBytes += bytes;
  }
  await env.DELIVERIES.sendBatch(batch);
  queued?.push(...messages.map((m) => m.body));
}
