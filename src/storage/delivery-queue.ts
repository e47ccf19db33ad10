/**
 * Putting delivery messages on the DELIVERIES queue, in batches that stay under `sendBatch`'s 100
 * messages and 256 KB. Shared by the producer at ingest (src/ingest/enqueue.ts) and the consumer
 * of a deferred routing message (src/delivery/deferred.ts), which fans out the same way. Sizes are
 * those of the messages as the queue stores them (JSON).
 */
import type { DeliveryMessage } from "./delivery-message.ts";

/** Below `sendBatch`'s 256 KB, leaving room for the queue's own per-message overhead. */
const BATCH_BYTES = 200 * 1024;
const BATCH_COUNT = 100;
const encoder = new TextEncoder();

/** One destination an event goes to, with the rules that sent it there (src/routing's RoutedDestination). */
export interface Fanned {
  readonly name: string;
  readonly rules: readonly string[];
}

/**
 * One message per destination, all sharing `base`; resolves, with the messages, when every batch is
 * queued, throws otherwise.
 * @example await queueDeliveries(env.DELIVERIES, { v: 1, eventKey, triggerId, type, acceptedAt, payload }, decision.destinations);
 */
export async function queueDeliveries(
  queue: Queue,
  base: Omit<DeliveryMessage, "destination" | "rules">,
  destinations: readonly Fanned[],
): Promise<DeliveryMessage[]> {
  const sent: DeliveryMessage[] = [];
  if (destinations.length === 0) return sent;
  let batch: MessageSendRequest<DeliveryMessage>[] = [];
  let batchBytes = 0;
  for (const d of destinations) {
    const body: DeliveryMessage = { ...base, destination: d.name, rules: [...d.rules] };
    const bytes = encoder.encode(JSON.stringify(body)).byteLength;
    if (batch.length > 0 && (batch.length === BATCH_COUNT || batchBytes + bytes > BATCH_BYTES)) {
      await queue.sendBatch(batch);
      batch = [];
      batchBytes = 0;
    }
    batch.push({ body, contentType: "json" });
    batchBytes += bytes;
    sent.push(body);
  }
  await queue.sendBatch(batch);
  return sent;
}
