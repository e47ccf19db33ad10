/**
 * `POST /admin/explain[?render=1]`: where would this event go, and why, under
 * the deployed config. The same answer as `npm run routes -- explain --json`
 * (both call src/routing/explain.ts); with `render=1` also `messages`, what
 * each destination would receive (as `--render` adds, src/admin/render.ts).
 * The body is read and parsed exactly as `POST /events` does, with the same
 * limits and messages; nothing is sent.
 *
 * With `[vars.ROUTING.gitple]` set, the event's ids are resolved to names as
 * ingest resolves them (src/routing/names.ts, the same cache), so a rule by
 * name matches here as it would at `/events` and the messages show names.
 * When Gitple does not answer in time the answer routes by ids and says so
 * (`names: "unavailable"`), where ingest would wait.
 */
import type { Context } from "hono";
import { viewEvent } from "../event/view.ts";
import { MAX_BODY_BYTES, readBody } from "../ingest/body.ts";
import { publicError } from "../ingest/errors.ts";
import { parseEvent } from "../ingest/parse.ts";
import { log } from "../log/log.ts";
import { explain } from "../routing/explain.ts";
import { loadRouting } from "../routing/load.ts";
import { compactNames, nameLookup } from "../routing/names.ts";
import { renderMessages } from "./render.ts";

export async function explainRoute(c: Context<{ Bindings: Env }>): Promise<Response> {
  const body = await readBody(c.req.raw, MAX_BODY_BYTES);
  if (!body.ok) {
    const answer = publicError({ reason: body.error });
    return c.json(answer.body, answer.status);
  }
  const parsed = parseEvent(body.value);
  if (!parsed.ok) {
    const answer = publicError(parsed.error);
    return c.json(answer.body, answer.status);
  }
  const config = loadRouting(c.env);
  if (!config.ok) {
    log("error", "routing config invalid", { problems: config.error });
    const answer = publicError({ reason: "config_invalid", problems: config.error });
    return c.json(answer.body, answer.status);
  }
  const view = viewEvent(parsed.value.event);
  const lookup = nameLookup(c.env, config.value, parsed.value.event, view);
  const resolved = lookup && (await lookup.resolve());
  const names = resolved && compactNames(resolved);
  const answer = { ...explain(config.value, view, names), ...(resolved?.unavailable && { names: "unavailable" }) };
  if (c.req.query("render") !== "1") return c.json(answer);
  return c.json({ ...answer, messages: renderMessages(config.value, { view, raw: parsed.value.raw, names }) });
}
