/**
 * `GET /admin/deliveries?triggerId=…[&appCode=…]`: what happened to an event.
 * When it was accepted (the delivery index, src/storage/tracking.ts), and per
 * destination its state, attempts and last status (the claim Durable Object).
 * A destination the consumer has not reached yet is `queued`; a `dead` one
 * names its dead letter, ready for `POST /admin/dead-letters/:id/replay`.
 * One that quiet hours hold (src/holds) is `held`, with `until` (ISO).
 */
import type { Context } from "hono";
import { claimsFor, type DeliveryRow } from "../delivery/claims.ts";
import { holdsFor } from "../holds/object.ts";
import { deliveryId } from "../storage/delivery-message.ts";
import { findAccepted, type TrackedEvent } from "../storage/tracking.ts";
import { parseIdParam } from "./input.ts";

type C = Context<{ Bindings: Env }>;

async function describe(env: Env, event: TrackedEvent) {
  const rows = new Map<string, DeliveryRow>();
  // An event routed nowhere has no claims to ask (and asking would create its object).
  if (event.destinations.length > 0) {
    for (const row of await claimsFor(env, event.eventKey).states()) rows.set(row.destination, row);
  }
  // The destinations routed at accept time, then any the claims know besides (none, normally).
  const names = [...new Set([...event.destinations, ...rows.keys()])];
  return {
    appCode: event.appCode ?? null,
    type: event.type,
    acceptedAt: event.acceptedAt,
    destinations: await Promise.all(
      names.map(async (destination) => {
        const row = rows.get(destination);
        // Not reached by the consumer yet: queued, or held for the destination's quiet hours.
        const heldUntil = row ? null : await holdsFor(env, destination).heldUntil(event.eventKey);
        return {
          destination,
          state: row?.state ?? (heldUntil === null ? "queued" : "held"),
          ...(heldUntil !== null && { until: new Date(heldUntil).toISOString() }),
          attempts: row?.attempts ?? 0,
          lastStatus: row?.lastStatus ?? null,
          lastReason: row?.lastReason ?? null,
          updatedAt: row?.updatedAt ?? null,
          ...(row?.state === "dead" ? { deadLetterId: deliveryId({ eventKey: event.eventKey, destination }) } : {}),
        };
      }),
    ),
  };
}

export async function deliveriesRoute(c: C): Promise<Response> {
  const triggerId = parseIdParam("triggerId", c.req.query("triggerId"));
  if (!triggerId.ok) return c.json({ error: triggerId.error }, 400);
  const rawAppCode = c.req.query("appCode");
  const appCode = rawAppCode === undefined ? undefined : parseIdParam("appCode", rawAppCode);
  if (appCode && !appCode.ok) return c.json({ error: appCode.error }, 400);

  const events = await findAccepted(c.env.RELAY_STATE, triggerId.value, appCode?.value);
  if (events.length === 0) {
    return c.json({ error: "no event with this triggerId was accepted (records are kept at least 7 days)" }, 404);
  }
  return c.json({
    triggerId: triggerId.value,
    events: await Promise.all(events.map((event) => describe(c.env, event))),
  });
}
