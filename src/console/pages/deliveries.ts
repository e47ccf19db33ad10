/**
 * Deliveries: look up a `triggerId` (GET form, so the answer has its own URL)
 * through `GET /admin/deliveries`: the event(s) and per destination its
 * state, attempts, last status and times; a dead one links its dead letter,
 * a held one says until when; a legend says what each state means.
 */
import { html } from "hono/html";
import type { DeliveryRecord } from "../../storage/delivery-state.ts";
import { adminApi, apiError } from "../api.ts";
import type { ConsoleContext } from "../context.ts";
import { Frame, Notice, row } from "../layout.ts";
import { timezoneOf } from "../settings.ts";
import { formatTime } from "../time.ts";

/** A destination's entry of the `/admin/deliveries` answer. */
interface DestinationState extends DeliveryRecord {
  deadLetterId?: string;
  /** A held one's end of quiet hours. */
  until?: string;
}
interface TrackedEvent {
  appCode: string | null;
  type: string;
  acceptedAt: string;
  routing?: string;
  destinations: DestinationState[];
}

function destinationRow(d: DestinationState, tz: string) {
  const state = d.deadLetterId
    ? html`<a href="/admin/ui/dead-letters/${encodeURIComponent(d.deadLetterId)}">${d.state}</a>`
    : d.state;
  return html`<tr><td>${d.destination}</td><td class="state-${d.state}">${state}${d.until && ` until ${formatTime(d.until, tz)}`}</td><td class="num">${d.attempts}</td><td>${d.lastStatus ?? "—"}</td><td>${d.lastReason ?? "—"}</td><td>${formatTime(d.updatedAt, tz)}</td></tr>`;
}

function destinationTable(e: TrackedEvent, tz: string) {
  return html`<table>
    <thead>
      <tr><th>Destination</th><th>State</th><th>Attempts</th><th>Last status</th><th>Last reason</th><th>Updated</th></tr>
    </thead>
    <tbody>
      ${e.destinations.map((d) => destinationRow(d, tz))}
    </tbody>
  </table>`;
}

const LEGEND = html`<p class="muted">queued: not sent yet · retrying: failed, will retry · delivered · dead: gave up, see Dead letters · held: in quiet hours</p>`;

export async function deliveriesPage(c: ConsoleContext): Promise<Response> {
  const triggerId = c.req.query("triggerId") ?? "";
  const appCode = c.req.query("appCode") ?? "";
  const tz = timezoneOf(c.env);
  let result: { events: TrackedEvent[] } | undefined;
  let error: string | undefined;
  if (triggerId !== "") {
    const q = new URLSearchParams({ triggerId });
    if (appCode !== "") q.set("appCode", appCode);
    const answer = await adminApi<{ events: TrackedEvent[] }>(c.env, c.var.token, `/deliveries?${q}`);
    if (answer.status === 200) result = answer.body;
    else error = apiError(answer);
  }
  return c.html(
    Frame(
      { title: "Deliveries", nonce: c.var.nonce, csrf: c.var.csrf, active: "Deliveries" },
      html`<form method="get" action="/admin/ui/deliveries" class="inline">
        <label for="triggerId">triggerId</label>
        <input id="triggerId" name="triggerId" type="text" value="${triggerId}" required size="40">
        <label for="appCode">appCode</label>
        <input id="appCode" name="appCode" type="text" value="${appCode}" placeholder="(any)">
        <button type="submit">Look up</button>
      </form>
      ${error && Notice("error", error)}
      ${result?.events.map(
        (e) =>
          html`<section class="card">
            <dl class="kv">
              ${row("Event", html`<code>${e.type}</code>`)}
              ${row("appCode", e.appCode ?? "—")}
              ${row("Accepted", formatTime(e.acceptedAt, tz))}
              ${e.routing && row("Routing", e.routing)}
            </dl>
            ${e.destinations.length === 0 ? html`<p class="muted">Routed nowhere.</p>` : destinationTable(e, tz)}
          </section>`,
      )}
      ${result && LEGEND}`,
    ),
  );
}
