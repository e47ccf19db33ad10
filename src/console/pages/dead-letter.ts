/**
 * One dead letter at its own URL: reason, attempts, last status, state and
 * the event pretty-printed (as text: `html` escapes it), with Replay and
 * Delete behind a confirmation checkbox each.
 */
import { html } from "hono/html";
import { adminApi, apiError } from "../api.ts";
import type { ConsoleContext } from "../context.ts";
import type { DeadLetterItem } from "../dead-letter-data.ts";
import { Frame, Notice, row } from "../layout.ts";
import { timezoneOf } from "../settings.ts";
import { formatTime } from "../time.ts";

/** One dead letter as GET /admin/dead-letters/:id answers it: the list's summary and the rest. */
interface DeadLetter extends DeadLetterItem {
  lastStatus: number | null;
  type: string;
  appCode: string | null;
  state: string;
  replayedAt: string | null;
  event: unknown;
}

/** The detail page; `problem` (and its status) when an action on it was refused. */
export async function deadLetterPage(
  c: ConsoleContext,
  problem?: { status: 400 | 409 | 410 | 500 | 503; message: string },
) {
  const id = c.req.param("id") ?? "";
  const answer = await adminApi<DeadLetter>(c.env, c.var.token, `/dead-letters/${encodeURIComponent(id)}`);
  const tz = timezoneOf(c.env);
  const d = answer.status === 200 ? answer.body : undefined;
  const path = `/admin/ui/dead-letters/${encodeURIComponent(id)}`;
  const status =
    problem?.status ??
    (answer.status === 200 ? 200 : answer.status === 400 || answer.status === 404 ? answer.status : 503);
  return c.html(
    Frame(
      { title: "Dead letter", nonce: c.var.nonce, csrf: c.var.csrf, active: "Dead letters" },
      html`<p><a href="/admin/ui/dead-letters">← All dead letters</a></p>
      ${problem && Notice("error", problem.message)}
      ${d ? detail(d, path, c.var.csrf, tz) : Notice("error", apiError(answer))}`,
    ),
    status,
  );
}

function detail(d: DeadLetter, path: string, csrf: string, tz: string) {
  // The two forms are inline boxes: no white space between them, or it would show as a gap.
  const actions = html`<div><form method="post" action="${path}/replay" class="inline card">
        <input type="hidden" name="csrf" value="${csrf}">
        <label><input type="checkbox" name="confirm" value="yes" required> Yes, send it to ${d.destination} again</label>
        <button type="submit">Replay</button>
      </form><form method="post" action="${path}/delete" class="inline card">
        <input type="hidden" name="csrf" value="${csrf}">
        <label><input type="checkbox" name="confirm" value="yes" required> Yes, delete it for good</label>
        <button type="submit" class="danger">Delete</button>
      </form></div>`;
  return html`<dl class="kv card">
      ${row("Destination", d.destination)}
      ${row("Reason", d.reason)}
      ${row("Attempts", d.attempts)}
      ${row("Last status", d.lastStatus ?? "—")}
      ${row("Dead since", formatTime(d.deadAt, tz))}
      ${row("State", d.state === "replayed" ? `replayed ${formatTime(d.replayedAt, tz)}` : d.state)}
      ${row("Event", html`<code>${d.type}</code> · trigger <code>${d.triggerId}</code> · app ${d.appCode ?? "—"}`)}
    </dl>
    ${d.state === "dead" && actions}
    <h2>Event</h2>
    <pre>${d.event === null ? "(the event body is no longer stored)" : JSON.stringify(d.event, null, 2)}</pre>`;
}
