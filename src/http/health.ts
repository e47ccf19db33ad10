/**
 * `GET /health`: is this deployment able to accept events? The version, whether
 * `GITPLE_SECRET` is set (never its value), and a config summary. No secrets,
 * no URLs, no config details: those go to the log.
 */
import type { Context } from "hono";
import { hasSigningSecret } from "../ingest/secrets.ts";
import { log } from "../log/log.ts";
import { loadRouting } from "../routing/load.ts";
import { VERSION } from "../version.ts";

export function getHealth(c: Context<{ Bindings: Env }>): Response {
  const secret = { set: hasSigningSecret(c.env) };
  if (!secret.set) log("error", "GITPLE_SECRET is not set (wrangler secret put GITPLE_SECRET)");
  const config = loadRouting(c.env);
  if (!config.ok) {
    log("error", "routing config invalid", { problems: config.error });
    return c.json({
      status: "misconfigured",
      version: VERSION,
      secret,
      config: { valid: false, problems: config.error.length },
    });
  }
  const { rules, destinations } = config.value;
  return c.json({
    status: secret.set ? "ok" : "misconfigured",
    version: VERSION,
    secret,
    config: { valid: true, rules: rules.length, destinations: Object.keys(destinations).length },
  });
}
