/**
 * `GET /admin/digests/:name/preview` answers the current period's figures so
 * far (the period the next scheduled send covers) as JSON, sending nothing;
 * `POST /admin/digests/:name/send` sends them now to the digest's
 * destinations, under a trigger id of its own (the scheduled send of that
 * period still happens), and answers what it queued. An unknown name is 404.
 */
import type { Context } from "hono";
import { digestFor } from "../digest-figures/stub.ts";
import { loadRouting } from "../routing/load.ts";

type C = Context<{ Bindings: Env }>;

/** The digest named in the path, or the answer to give instead (404 unknown, 503 config broken). */
function named(c: C): string | Response {
  const name = c.req.param("name") ?? "";
  const config = loadRouting(c.env);
  if (!config.ok) return c.json({ error: "the routing config is invalid (see GET /health)" }, 503);
  return config.value.digests.some((d) => d.name === name)
    ? name
    : c.json({ error: `no digest named ${JSON.stringify(name)} in [[vars.ROUTING.digests]]` }, 404);
}

export async function previewRoute(c: C): Promise<Response> {
  const name = named(c);
  if (typeof name !== "string") return name;
  return c.json(await digestFor(c.env, name).preview(name));
}

export async function sendRoute(c: C): Promise<Response> {
  const name = named(c);
  if (typeof name !== "string") return name;
  const sent = await digestFor(c.env, name).sendNow(name);
  return sent ? c.json({ status: "queued", ...sent }, 202) : c.json({ error: "not found" }, 404);
}
