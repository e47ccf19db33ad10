/**
 * A notice the relay makes itself (a timer firing, src/sessions/timers.ts; a
 * scheduled digest, src/digests/object.ts) queued as ingest queues an event
 * (src/ingest/enqueue.ts): one DELIVERIES message per destination, then its
 * delivery index entry, so it goes through the same claims, retries, quiet
 * hours and dead letters. Its trigger id is deterministic per notice, so the
 * claims deliver it once per destination however often it is queued.
 */
import { type DeliveryMessage, INLINE_PAYLOAD_BYTES } from "./delivery-message.ts";
import { eventKey } from "./event-key.ts";
import { type EventPayload, storePayload } from "./payload.ts";
import { trackAccepted } from "./tracking.ts";

const encoder = new TextEncoder();

/**
 * `raw(destination)` is the body each destination gets (default: the notice's JSON, the same for all).
 *
 * @example
 * await enqueueNotice(env, { type: "timer", triggerId: "timer:t:s1:1", … }, ["ops"]);
 */
export async function enqueueNotice(
  env: Pick<Env, "DELIVERIES" | "RELAY_STATE">,
  notice: { readonly type: string; readonly triggerId: string; readonly appCode?: string },
  destinations: readonly string[],
  raw: (destination: string) => string = () => JSON.stringify(notice),
): Promise<void> {
  const key = await eventKey(notice.appCode, notice.triggerId);
  const acceptedAt = new Date().toISOString();
  const messages: MessageSendRequest<DeliveryMessage>[] = [];
  for (const destination of destinations) {
    const body = raw(destination);
    const payload: EventPayload =
      encoder.encode(body).byteLength > INLINE_PAYLOAD_BYTES
        ? await storePayload(env.RELAY_STATE, key, body)
        : { inline: body };
    messages.push({
      body: {
        v: 1,
        eventKey: key,
        triggerId: notice.triggerId,
        appCode: notice.appCode,
        type: notice.type,
        destination,
        rules: [],
        acceptedAt,
        payload,
      },
      contentType: "json",
    });
  }
  if (messages.length > 0) await env.DELIVERIES.sendBatch(messages);
  const record = {
    eventKey: key,
    triggerId: notice.triggerId,
    type: notice.type,
    acceptedAt,
    destinations: [...destinations],
  };
  await trackAccepted(
    env.RELAY_STATE,
    { ...record, ...(notice.appCode !== undefined && { appCode: notice.appCode }) },
    0,
  );
}
