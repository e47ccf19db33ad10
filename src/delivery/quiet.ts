/**
 * The consumer's quiet-hours step (issue 14, docs/time.md): a delivery to a
 * destination inside one of its `quiet_hours` windows goes to the
 * destination's holding object (src/holds/object.ts) instead of being sent,
 * unless a rule that sent it is `urgent` (or it is an urgent timer's notice),
 * or it is a held delivery coming back (`heldUntil`). Answers true once the
 * hold is durable: the consumer then acks the queue message.
 *
 * Checked at delivery time, not at ingest, so a notice retried into a window
 * waits too, and one held at ingest time cannot miss a config change.
 */

import type { BaseDestinationConfig } from "../config/types.ts";
import type { RawEvent } from "../event/raw.ts";
import { quietUntil } from "../format/quiet-hours.ts";
import { type HeldSummary, holdsFor } from "../holds/object.ts";
import { errorText, log } from "../log/log.ts";
import type { RoutingConfig } from "../routing/types.ts";
import { type DeliveryMessage, isDeliveryMessage } from "../storage/delivery-message.ts";
import { loadPayload } from "../storage/payload.ts";
import { claimsFor } from "./claims.ts";

/**
 * @example
 * if (await holdIfQuiet(env, config, m)) return message.ack();
 */
export async function holdIfQuiet(
  env: Pick<Env, "HOLDS" | "RELAY_STATE" | "CLAIMS">,
  config: RoutingConfig,
  m: DeliveryMessage,
  now = Date.now(),
): Promise<boolean> {
  // Every kind's table takes quiet_hours (src/config/schema.ts adds them to each kind's schema).
  const destination: BaseDestinationConfig | undefined = config.destinations[m.destination];
  if (!destination?.quiet_hours || m.heldUntil !== undefined) return false;
  if (m.rules.some((name) => config.rules.find((r) => r.name === name)?.urgent)) return false;
  const until = quietUntil(destination.quiet_hours, config.timezone ?? "UTC", now);
  if (until === null) return false;
  const raw = await loadPayload(env.RELAY_STATE, m.payload);
  const event = (raw === null ? {} : JSON.parse(raw)) as RawEvent & Record<string, unknown>;
  if (m.type === "timer" && (event.timer as { urgent?: unknown } | undefined)?.urgent === true) return false;
  // A scheduled digest ("digest") or a summary ("quiet_digest") is deferred whole, never summarised.
  const mode = m.type.endsWith("digest") ? "defer" : (destination.during_quiet ?? "defer");
  await holdsFor(env, m.destination).hold(m, until, mode, summaryOf(m, event));
  // Its claim row waits too: nothing stuck is re-sent before `until` (src/delivery/pending.ts).
  await claimsFor(env, m.eventKey).held(m.destination, until);
  log("info", "delivery held", {
    triggerId: m.triggerId,
    type: m.type,
    destination: m.destination,
    outcome: "held",
    until: new Date(until).toISOString(),
    during: mode,
  });
  return true;
}

/**
 * After the consumer's attempt at a released delivery (`heldUntil`), its holding object releases the
 * next one, in accepted order (src/holds/object.ts). A failure waits for the object's alarm.
 *
 * @example
 * await releaseNext(env, message.body);
 */
export async function releaseNext(env: Pick<Env, "HOLDS">, m: unknown): Promise<void> {
  if (!isDeliveryMessage(m) || !m.heldUntil) return;
  await holdsFor(env, m.destination)
    .next(m.eventKey)
    .catch((e) => log("warn", "next held delivery waits", { triggerId: m.triggerId, error: errorText(e) }));
}

function summaryOf(m: DeliveryMessage, event: Record<string, unknown>): HeldSummary {
  const session = (typeof event.session === "object" && event.session !== null ? event.session : {}) as Record<
    string,
    unknown
  >;
  const tags = Array.isArray(session.tags) ? session.tags.filter((t): t is string => typeof t === "string") : [];
  const note = typeof session.note === "string" ? session.note.split(/\r?\n/)[0]?.trim().slice(0, 200) : undefined;
  return {
    type: m.type,
    at: typeof event.ctime === "string" ? event.ctime : m.acceptedAt,
    ...(typeof session.id === "string" && { session: session.id }),
    tags: tags.slice(0, 20),
    ...(note && { note }),
  };
}
