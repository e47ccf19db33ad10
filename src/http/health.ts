/**
 * `GET /health`: is this deployment able to accept events? The version, whether
 * `GITPLE_SECRET` is set (never its value), a config summary, and with
 * `[vars.ROUTING.gitple]` the Open API's state (secret set, a 401's problem). No secrets,
 * no URLs, no config details: those go to the log.
 */
import type { Context } from "hono";
import { gitpleHealth } from "../gitple/health.ts";
import { hasSigningSecret } from "../ingest/secrets.ts";
import { namedSecret } from "../lib/secrets.ts";
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
  const { rules, destinations, gitple } = config.value;
  return c.json({
    status: secret.set ? "ok" : "misconfigured",
    version: VERSION,
    secret,
    config: { valid: true, rules: rules.length, destinations: Object.keys(destinations).length },
    // Issue 10, only with [vars.ROUTING.gitple]: whether its secret is set and a 401's problem, never a value.
    ...(gitple ? { gitple: gitpleHealth(true, namedSecret(c.env, gitple.api_secret) !== undefined) } : {}),
  });
}
