/**
 * The deferred routing message (issue 10): when ingest could not learn the names a rule needs
 * within `timeout_seconds` (the Open API slow, 429 or 5xx), it answers 202 with
 * `"routing": "deferred"` and queues this ONE message on the DELIVERIES queue instead of one per
 * destination. The consumer resolves the names (retrying with the delivery backoff), routes, and
 * queues the deliveries as ingest would have; the claims keep each destination to one post, so a
 * routing message delivered twice fans out twice at most and still posts once.
 *
 * A stored format like DeliveryMessage (`v: 1`, `kind: "routing"`): it may wait in the queue across
 * a deploy. No `destination` field, so it is never mistaken for a delivery.
 */
import type { EventPayload } from "./payload.ts";

export interface RoutingMessage {
  readonly v: 1;
  readonly kind: "routing";
  readonly eventKey: string;
  readonly triggerId: string;
  readonly appCode?: string;
  readonly type: string;
  readonly acceptedAt: string;
  readonly payload: EventPayload;
}

/** A message from the queue is a routing message only if it has this shape. */
export function isRoutingMessage(body: unknown): body is RoutingMessage {
  if (typeof body !== "object" || body === null) return false;
  const m = body as Record<string, unknown>;
  const p = m.payload as Record<string, unknown> | undefined;
  return (
    m.v === 1 &&
    m.kind === "routing" &&
    typeof m.eventKey === "string" &&
    typeof m.triggerId === "string" &&
    typeof m.type === "string" &&
    typeof m.acceptedAt === "string" &&
    typeof p === "object" &&
    p !== null &&
    (typeof p.inline === "string" || typeof p.kv === "string")
  );
}
