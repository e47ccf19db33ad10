/** `POST /events`: Gitple's webhook target. Other methods answer 405. */
import type { Context } from "hono";
import { acceptEvent } from "../ingest/accept.ts";
import { publicError } from "../ingest/errors.ts";
import { log } from "../log/log.ts";
import { countEvent } from "../log/metrics.ts";

export async function postEvents(c: Context<{ Bindings: Env }>): Promise<Response> {
  const result = await acceptEvent(c.req.raw, c.env);
  if (result.ok) return c.json(result.value, result.value.status === "accepted" ? 202 : 200);
  const e = result.error;
  const answer = publicError(e);
  // One line per rejected event, whatever the cause, so `outcome = "rejected"` finds them all.
  if (e.reason === "config_invalid") {
    log("error", "event rejected: routing config invalid", {
      reason: e.reason,
      outcome: "rejected",
      status: answer.status,
      problems: [...e.problems],
    });
  } else if (e.reason === "secret_missing") {
    log("error", "event rejected: GITPLE_SECRET is not set (wrangler secret put GITPLE_SECRET)", {
      reason: e.reason,
      outcome: "rejected",
      status: answer.status,
    });
  } else {
    log(answer.status >= 500 ? "error" : "warn", "event rejected", {
      reason: e.reason,
      outcome: "rejected",
      status: answer.status,
    });
  }
  countEvent(c.env, { outcome: "rejected", detail: e.reason });
  return c.json(answer.body, answer.status);
}

export function eventsMethodNotAllowed(c: Context): Response {
  return c.json({ error: "method not allowed: use POST" }, 405, { Allow: "POST" });
}
