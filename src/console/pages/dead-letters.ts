/**
 * Dead letters: the list, newest first, filtered by destination (a
 * `<select>`), 50 a page with "Older" for the next; each links its detail.
 * Replay all acts on the filtered list (8 a press, going on where the last
 * press stopped), behind a confirmation checkbox.
 */
import { html } from "hono/html";
import type { ConsoleContext } from "../context.ts";
import { type DeadLetterItem, deadLetterPage, type ItemsPage } from "../dead-letter-data.ts";
import { Frame, Notice } from "../layout.ts";
import { routing, timezoneOf } from "../settings.ts";
import { formatTime } from "../time.ts";

const count = (raw: string | undefined): number | undefined => (raw && /^\d{1,6}$/.test(raw) ? Number(raw) : undefined);

/** What the last action did, from the redirect's numeric query (never free text). */
function outcome(c: ConsoleContext): string | undefined {
  const deleted = count(c.req.query("deleted"));
  if (deleted !== undefined) return `Deleted ${deleted} dead letter${deleted === 1 ? "" : "s"}.`;
  const replayed = count(c.req.query("replayed"));
  if (replayed === undefined) return undefined;
  const refused = count(c.req.query("refused")) ?? 0;
  const failed = count(c.req.query("failed")) ?? 0;
  const parts = [`Replayed ${replayed}`];
  if (refused > 0) parts.push(`${refused} refused (no longer dead, or gone)`);
  if (failed > 0) parts.push(`${failed} failed (retry later)`);
  const more = c.req.query("more") !== undefined ? " More are left: press Replay all again." : "";
  return `${parts.join(", ")}.${more}`;
}

const row = (d: DeadLetterItem, tz: string) =>
  html`<tr><td><a href="/admin/ui/dead-letters/${encodeURIComponent(d.id)}">${formatTime(d.deadAt, tz)}</a></td><td>${d.destination}</td><td><code>${d.triggerId}</code></td><td>${d.reason}</td><td class="num">${d.attempts}</td></tr>`;

/** The page's dead letters, the "Older" link, and Replay all for the filtered list. */
function list(c: ConsoleContext, page: ItemsPage, destination: string | undefined) {
  const tz = timezoneOf(c.env);
  // Where the last press of Replay all stopped, so the next goes on from there.
  const from = c.req.query("more") ?? c.var.form.from;
  const older = new URLSearchParams();
  if (destination) older.set("destination", destination);
  if (page.cursor) older.set("cursor", page.cursor);
  return html`<table>
      <thead>
        <tr><th>Dead since</th><th>Destination</th><th>triggerId</th><th>Reason</th><th>Attempts</th></tr>
      </thead>
      <tbody>
        ${page.items.map((d) => row(d, tz))}
      </tbody>
    </table>
    ${page.cursor && html`<p><a href="/admin/ui/dead-letters?${older}">Older →</a></p>`}
    <form method="post" action="/admin/ui/dead-letters/replay-all" class="inline card">
      <input type="hidden" name="csrf" value="${c.var.csrf}">
      <input type="hidden" name="destination" value="${destination ?? ""}">
      ${from !== undefined && html`<input type="hidden" name="from" value="${from}">`}
      <label><input type="checkbox" name="confirm" value="yes" required> Yes, replay every dead letter${destination ? ` for ${destination}` : ""} once</label>
      <button type="submit">Replay all</button>
    </form>`;
}

/** The list; `problem` (a 400) when Replay all was pressed without its box ticked. */
export async function deadLettersPage(c: ConsoleContext, problem?: string): Promise<Response> {
  const config = routing(c.env);
  const names = config.ok ? Object.keys(config.value.destinations) : [];
  const destination = (c.req.query("destination") ?? c.var.form.destination) || undefined;
  const cursor = c.req.query("cursor") || undefined;
  const page = await deadLetterPage(c.env, c.var.token, { destination, cursor });
  const done = outcome(c);
  const options = [...new Set([...names, ...(destination ? [destination] : [])])].map(
    (n) => html`<option value="${n}"${n === destination && html` selected`}>${n}</option>`,
  );
  return c.html(
    Frame(
      { title: "Dead letters", nonce: c.var.nonce, csrf: c.var.csrf, active: "Dead letters" },
      html`${done && Notice("ok", done)}
      ${(problem ?? page.error) && Notice("error", problem ?? page.error)}
      <form method="get" action="/admin/ui/dead-letters" class="inline">
        <label for="destination">Destination</label>
        <select id="destination" name="destination">
          <option value="">All destinations</option>
          ${options}
        </select>
        <button type="submit">Filter</button>
      </form>
      ${
        page.items.length === 0
          ? html`<p class="muted">No dead letters${destination ? ` for ${destination}` : ""}.</p>`
          : list(c, page, destination)
      }`,
    ),
    problem ? 400 : 200,
  );
}
