/**
 * The event's delivery record, kept by its claim Durable Object (one per
 * event, named by its eventKey, src/delivery/claims.ts): what the ingest
 * writes there once the deliveries are queued, and what the admin API reads
 * back. The shapes live here, a layer below both, so the ingest can record an
 * event without importing the delivery side.
 *
 * Trade-offs: the write is best effort, like the KV record it replaces: a
 * failure is logged and loses the record and the re-enqueue safety net, never
 * the event (its messages are on the queue). Cost: one Durable Object request
 * and a SQLite row per destination, instead of a KV write ($5 per million,
 * and 1,000 a day on the Free plan).
 */
import { errorText, log } from "../log/log.ts";
import type { DeliveryMessage } from "./delivery-message.ts";

/** An event as its claim object knows it: when accepted, and its destinations in routed order. */
export interface RecordedEvent {
  readonly event: {
    readonly triggerId: string;
    readonly appCode?: string;
    readonly type: string;
    readonly acceptedAt: string;
    readonly destinations: readonly string[];
  } | null;
  readonly deliveries: readonly DeliveryRecord[];
}

/** One destination's delivery as its claim object reports it (and `/admin/deliveries` answers it). */
export interface DeliveryRecord {
  destination: string;
  state: string;
  attempts: number;
  lastStatus: number | null;
  lastReason: string | null;
  updatedAt: string | null;
}

/** What the ingest and the quiet-hours digest (src/holds) ask of an event's claim object. */
export interface DeliveryStateObject {
  accept(messages: readonly DeliveryMessage[]): Promise<void>;
  /** Marks the pair delivered by another message (a digest), unless it is delivered, dead or in flight. */
  deliveredBy(destination: string): void | Promise<void>;
}

/** The claim object of one event (one per eventKey), as the layers below delivery see it. */
const claimObject = (env: Pick<Env, "CLAIMS">, eventKey: string): DeliveryStateObject =>
  env.CLAIMS.get(env.CLAIMS.idFromName(eventKey)) as unknown as DeliveryStateObject;

/**
 * A held delivery counted delivered by the quiet-hours digest that listed it: one Durable Object request.
 *
 * @example
 * await deliveredByDigest(env, held.eventKey, held.destination);
 */
export async function deliveredByDigest(env: Pick<Env, "CLAIMS">, eventKey: string, destination: string) {
  await claimObject(env, eventKey).deliveredBy(destination);
}

/**
 * Records the queued messages of one event in its claim object. Never rejects: a failure is logged.
 *
 * @example
 * await recordQueued(env, key, messages);
 */
export async function recordQueued(
  env: Pick<Env, "CLAIMS">,
  eventKey: string,
  messages: readonly DeliveryMessage[],
): Promise<void> {
  if (messages.length === 0) return;
  try {
    await claimObject(env, eventKey).accept(messages);
  } catch (e) {
    log("warn", "delivery record write failed", {
      triggerId: messages[0]?.triggerId,
      outcome: "untracked",
      error: errorText(e),
    });
  }
}
