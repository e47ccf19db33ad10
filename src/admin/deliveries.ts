/**
 * `GET /admin/deliveries?triggerId=…[&appCode=…]`: what happened to an event.
 * When it was accepted and per destination its state, attempts and last
 * status, all from the event's claim Durable Object (src/delivery/claims.ts,
 * named by the hash of appCode and triggerId). Without `appCode`, every
 * appCode the relay has seen is tried (src/storage/workspaces.ts).
 *
 * A destination the consumer has not reached yet is `queued`; a `dead` one
 * names its dead letter, ready for `POST /admin/dead-letters/:id/replay`.
 *
 * Transition: events accepted before the record moved into the claim object
 * have a RELAY_STATE record (src/storage/tracking.ts, kept at least 7 days);
 * they are still found there, with their states from the claim object as before.
 *
 * One that quiet hours hold (src/holds) is `held`, with `until` (ISO).
 */
import type { Context } from "hono";
import { claimsFor } from "../delivery/claims.ts";
import { holdsFor } from "../holds/object.ts";
import { deliveryId } from "../storage/delivery-message.ts";
import type { RecordedEvent } from "../storage/delivery-state.ts";
import { eventKey } from "../storage/event-key.ts";
import { findAccepted } from "../storage/tracking.ts";
import { listWorkspaces } from "../storage/workspaces.ts";
import { parseIdParam } from "./input.ts";

type C = Context<{ Bindings: Env }>;

interface Found {
  readonly eventKey: string;
  readonly appCode?: string;
  readonly type: string;
  readonly acceptedAt: string;
  readonly destinations: readonly string[];
  readonly deliveries: RecordedEvent["deliveries"];
  /** Issue 10: the event waits for Gitple's names before it is routed (its KV record says so). */
  readonly routing?: "deferred";
}

async function describe(env: Env, event: Found) {
  const rows = new Map(event.deliveries.map((row) => [row.destination, row]));
  // The destinations routed at accept time, then any the claims know besides (none, normally).
  const names = [...new Set([...event.destinations, ...rows.keys()])];
  return {
    appCode: event.appCode ?? null,
    type: event.type,
    acceptedAt: event.acceptedAt,
    ...(event.routing === "deferred" ? { routing: "deferred" } : {}),
    destinations: await Promise.all(
      names.map(async (destination) => {
        const row = rows.get(destination);
        // Not attempted yet (queued, by the ingest's record or no row at all): queued, or held for quiet hours.
        const heldUntil =
          row && row.state !== "queued" ? null : await holdsFor(env, destination).heldUntil(event.eventKey);
        return {
          destination,
          state: heldUntil === null ? (row?.state ?? "queued") : "held",
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

/** The events with this triggerId, newest first: from the claim objects, then older KV records. */
async function findEvents(env: Env, triggerId: string, appCode: string | undefined, byApp: boolean): Promise<Found[]> {
  const appCodes = byApp ? [appCode] : await listWorkspaces(env.RELAY_STATE);
  const found = new Map<string, Found>();
  await Promise.all(
    appCodes.map(async (app) => {
      const key = await eventKey(app, triggerId);
      const recorded = await claimsFor(env, key).lookup();
      if (recorded?.event?.triggerId === triggerId)
        found.set(key, { eventKey: key, ...recorded.event, deliveries: recorded.deliveries });
    }),
  );
  for (const legacy of await findAccepted(env.RELAY_STATE, triggerId, byApp ? (appCode ?? "") : undefined)) {
    if (found.has(legacy.eventKey)) continue;
    // An event routed nowhere has no claims to ask (and asking would create its object).
    const deliveries = legacy.destinations.length > 0 ? await claimsFor(env, legacy.eventKey).states() : [];
    found.set(legacy.eventKey, { ...legacy, deliveries });
  }
  return [...found.values()].sort((a, b) => b.acceptedAt.localeCompare(a.acceptedAt));
}

export async function deliveriesRoute(c: C): Promise<Response> {
  const triggerId = parseIdParam("triggerId", c.req.query("triggerId"));
  if (!triggerId.ok) return c.json({ error: triggerId.error }, 400);
  const rawAppCode = c.req.query("appCode");
  const appCode = rawAppCode === undefined ? undefined : parseIdParam("appCode", rawAppCode);
  if (appCode && !appCode.ok) return c.json({ error: appCode.error }, 400);

  const events = await findEvents(c.env, triggerId.value, appCode?.value, appCode !== undefined);
  if (events.length === 0) {
    return c.json({ error: "no event with this triggerId was accepted (records are kept at least 7 days)" }, 404);
  }
  return c.json({
    triggerId: triggerId.value,
    events: await Promise.all(events.map((event) => describe(c.env, event))),
  });
}
