/**
 * A notice the relay makes itself (a timer firing, src/sessions/timers.ts; a
 * scheduled digest, src/digests/object.ts) queued as ingest queues an event
 * (src/ingest/enqueue.ts): one DELIVERIES message per destination, then its
 * record in its claim object (recordQueued, as ingest records an event), so it
 * goes through the same claims, retries, quiet hours and dead letters, and a
 * lost queue message is queued again by the claim object's alarm. Its trigger
 * id is deterministic per notice, so the claims deliver it once per
 * destination however often it is queued. A body over 16 KB is stored in KV
 * once per distinct body (`payload:<eventKey>:<destination>`), so destinations
 * with their own bodies (a digest's links) each get theirs. Cost of the
 * record: one Durable Object request and a row per destination (what ingest
 * pays per event), no KV write.
 */
import { type DeliveryMessage, INLINE_PAYLOAD_BYTES } from "./delivery-message.ts";
import { recordQueued } from "./delivery-state.ts";
import { eventKey } from "./event-key.ts";
import { type EventPayload, storePayload } from "./payload.ts";
import { noteWorkspace } from "./workspaces.ts";

const encoder = new TextEncoder();

/**
 * `raw(destination)` is the body each destination gets (default: the notice's JSON, the same for all).
 *
 * @example
 * await enqueueNotice(env, { type: "timer", triggerId: "timer:t:s1:1", … }, ["ops"]);
 */
export async function enqueueNotice(
  env: Pick<Env, "DELIVERIES" | "RELAY_STATE" | "CLAIMS">,
  notice: { readonly type: string; readonly triggerId: string; readonly appCode?: string },
  destinations: readonly string[],
  raw: (destination: string) => string = () => JSON.stringify(notice),
): Promise<void> {
  const key = await eventKey(notice.appCode, notice.triggerId);
  const acceptedAt = new Date().toISOString();
  const messages: MessageSendRequest<DeliveryMessage>[] = [];
  // A large body is stored once per distinct body, keyed by the first destination that has it.
  const stored = new Map<string, EventPayload>();
  for (const destination of destinations) {
    const body = raw(destination);
    const payload =
      stored.get(body) ??
      (encoder.encode(body).byteLength > INLINE_PAYLOAD_BYTES
        ? await storePayload(env.RELAY_STATE, `${key}:${destination}`, body)
        : { inline: body });
    stored.set(body, payload);
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
  if (messages.length === 0) return;
  await env.DELIVERIES.sendBatch(messages);
  // For GET /admin/deliveries and the re-enqueue of a lost message; never rejects (a failure is logged).
  await Promise.all([
    recordQueued(
      env,
      key,
      messages.map((m) => m.body),
    ),
    noteWorkspace(env.RELAY_STATE, notice.appCode),
  ]);
}
