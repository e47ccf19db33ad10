/**
 * The dead letters' state changes, each a form POST that guard.ts `formPost`
 * has already proven same-origin: Replay, Delete (one, by id) and Replay all
 * (the filtered list). Each needs its confirmation box ticked; each ends in a
 * 303 to the list, which counts what was done, or in the detail page with the
 * API's refusal.
 */
import { adminApi, apiError } from "./api.ts";
import type { ConsoleContext } from "./context.ts";
import { replayAll } from "./dead-letter-data.ts";
import { deadLetterPage } from "./pages/dead-letter.ts";
import { deadLettersPage } from "./pages/dead-letters.ts";

const NOT_CONFIRMED = { status: 400, message: "Not done: tick the confirmation box first." } as const;

function refusal(status: number, message: string) {
  const known = status === 400 || status === 409 || status === 410 || status === 500;
  return { status: known ? status : 503, message } as { status: 400 | 409 | 410 | 500 | 503; message: string };
}

/** `POST /admin/ui/dead-letters/:id/replay` */
export async function replayOne(c: ConsoleContext): Promise<Response> {
  if (c.var.form.confirm !== "yes") return deadLetterPage(c, NOT_CONFIRMED);
  const id = c.req.param("id") ?? "";
  const answer = await adminApi(c.env, c.var.token, `/dead-letters/${encodeURIComponent(id)}/replay`, {
    method: "POST",
  });
  if (answer.status !== 202) return deadLetterPage(c, refusal(answer.status, apiError(answer)));
  return c.redirect("/admin/ui/dead-letters?replayed=1", 303);
}

/** `POST /admin/ui/dead-letters/:id/delete` */
export async function deleteOne(c: ConsoleContext): Promise<Response> {
  if (c.var.form.confirm !== "yes") return deadLetterPage(c, NOT_CONFIRMED);
  const id = c.req.param("id") ?? "";
  const answer = await adminApi(c.env, c.var.token, `/dead-letters/${encodeURIComponent(id)}`, { method: "DELETE" });
  if (answer.status !== 204) return deadLetterPage(c, refusal(answer.status, apiError(answer)));
  return c.redirect("/admin/ui/dead-letters?deleted=1", 303);
}

/** `POST /admin/ui/dead-letters/replay-all`: the filtered list's dead letters once each, MAX_REPLAY_ALL a press, counted. */
export async function replayAllRoute(c: ConsoleContext): Promise<Response> {
  if (c.var.form.confirm !== "yes") return deadLettersPage(c, NOT_CONFIRMED.message);
  const destination = c.var.form.destination || undefined;
  const n = await replayAll(c.env, c.var.token, destination, c.var.form.from);
  const q = new URLSearchParams();
  if (destination) q.set("destination", destination);
  q.set("replayed", String(n.replayed));
  q.set("refused", String(n.refused));
  q.set("failed", String(n.failed));
  if (n.next !== null) q.set("more", n.next);
  return c.redirect(`/admin/ui/dead-letters?${q}`, 303);
}
