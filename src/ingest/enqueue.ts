/**
 * Puts one message per (event, destination) on the DELIVERIES queue. Resolves
 * only when every message is durably queued, having added them to `queued`
 * when given (the ingest records them in the event's claim object); throws
 * otherwise (the ingest then answers 503 and writes no dedup key, so Gitple's
 * retry is accepted).
 *
 * It lives in ingest, not in src/delivery: the consumer shares with it only
 * the message formats (src/storage) and, for a deferred event it routes
 * itself, the batching (src/storage/delivery-queue.ts). Large bodies are stored once in
 * RELAY_STATE and referenced (src/storage/payload.ts), because a queue
 * message holds at most 128 KB; batches are split to stay under `sendBatch`'s
 * 100 messages and 256 KB (src/storage/delivery-queue.ts). The body travels as
 * a JSON string, where every `"` and `\` of it is escaped again, so a message
 * can be twice its body; the names beside it are capped (src/routing/names.ts).
 */
import type { Resolution } from "../gitple/resolve.ts";
import type { RoutedDestination } from "../routing/types.ts";
import { type DeliveryMessage, INLINE_PAYLOAD_BYTES } from "../storage/delivery-message.ts";
import { queueDeliveries } from "../storage/delivery-queue.ts";
import { type EventPayload, storePayload } from "../storage/payload.ts";
import type { RoutingMessage } from "../storage/routing-message.ts";

export interface AcceptedEvent {
  readonly eventKey: string;
  readonly triggerId: string;
  readonly appCode?: string;
  readonly type: string;
  readonly raw: string;
  readonly bodyBytes: number;
  readonly acceptedAt: string;
  /** The event's names (issue 10), carried to every destination's message. */
  readonly names?: Resolution;
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
  const payload = await payloadOf(env, event);
  const sent = await queueDeliveries(
    env.DELIVERIES,
    {
      v: 1,
      eventKey: event.eventKey,
      triggerId: event.triggerId,
      appCode: event.appCode,
      type: event.type,
      acceptedAt: event.acceptedAt,
      payload,
      ...(event.names ? { names: event.names } : {}),
    },
    destinations,
  );
  queued?.push(...sent);
}

/**
 * Deferred routing (issue 10): ONE routing message instead of the deliveries; the consumer
 * routes once it has the names (src/delivery/deferred.ts). Throws when it is not queued.
 * @example await enqueueRouting(env, accepted);
 */
export async function enqueueRouting(
  env: Pick<Env, "DELIVERIES" | "RELAY_STATE">,
  event: AcceptedEvent,
): Promise<void> {
  const body: RoutingMessage = {
    v: 1,
    kind: "routing",
    eventKey: event.eventKey,
    triggerId: event.triggerId,
    appCode: event.appCode,
    type: event.type,
    acceptedAt: event.acceptedAt,
    payload: await payloadOf(env, event),
  };
  await env.DELIVERIES.send(body, { contentType: "json" });
}

async function payloadOf(env: Pick<Env, "RELAY_STATE">, event: AcceptedEvent): Promise<EventPayload> {
  return event.bodyBytes > INLINE_PAYLOAD_BYTES
    ? storePayload(env.RELAY_STATE, event.eventKey, event.raw)
    : { inline: event.raw };
}
