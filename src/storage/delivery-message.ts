/**
 * The queue message: one per (event, destination). Written by the producer
 * (src/ingest/enqueue.ts), read by the consumer (src/delivery), and kept whole
 * inside each dead letter (src/storage/dead-letters.ts), so it is a stored
 * format: messages in flight and dead letters outlive a deploy, and `v: 1`
 * must stay readable. It carries the event body inline when small, or a
 * reference to a copy in KV when large (src/storage/payload.ts): a queue
 * message holds at most 128 KB and a `sendBatch` 256 KB, while an accepted
 * event may be up to 256 KiB.
 */
import type { Resolution } from "../gitple/resolve.ts";
import type { EventPayload } from "./payload.ts";

export interface DeliveryMessage {
  readonly v: 1;
  /** Hash of (appCode, triggerId): names the claim Durable Object and the dedup key. */
  readonly eventKey: string;
  readonly triggerId: string;
  readonly appCode?: string;
  readonly type: string;
  readonly destination: string;
  /** Matched rules that sent the event here, in order; empty = fallback. */
  readonly rules: readonly string[];
  readonly acceptedAt: string;
  /** The event body as Gitple sent it, or the RELAY_STATE key of its copy. */
  readonly payload: EventPayload;
  /** The event's ids resolved to names (issue 10), when `[vars.ROUTING.gitple]` is set; absent = show ids. */
  readonly names?: Resolution;
  /** Set when quiet hours held it (src/holds): the window's end; the consumer then sends it whatever the time. */
  readonly heldUntil?: string;
}

/** Bodies up to this size travel inside the message (several fit one 256 KB batch). */
export const INLINE_PAYLOAD_BYTES = 16 * 1024;

/** Identifies a delivery in logs, claims and dead letters. */
export const deliveryId = (m: Pick<DeliveryMessage, "eventKey" | "destination">): string =>
  `${m.eventKey.slice(0, 32)}.${m.destination}`;

/** A message from the queue is ours only if it has this shape (anything else is logged and dropped). */
export function isDeliveryMessage(body: unknown): body is DeliveryMessage {
  if (typeof body !== "object" || body === null) return false;
  const m = body as Record<string, unknown>;
  const p = m.payload as Record<string, unknown> | undefined;
  return (
    m.v === 1 &&
    typeof m.eventKey === "string" &&
    typeof m.triggerId === "string" &&
    typeof m.type === "string" &&
    typeof m.destination === "string" &&
    Array.isArray(m.rules) &&
    typeof p === "object" &&
    p !== null &&
    (typeof p.inline === "string" || typeof p.kv === "string")
  );
}
