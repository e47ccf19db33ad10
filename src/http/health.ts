/** `GET /health`: version and config summary. No secrets, no URLs, no config details (those go to the log). */
import type { Context } from "hono";
import { log } from "../log/log.ts";
import { loadRouting } from "../routing/load.ts";
import { VERSION } from "../version.ts";

export function getHealth(c: Context<{ Bindings: Env }>): Response {
  const config = loadRouting(c.env);
  if (!config.ok) {
    log("error", "routing config invalid", { problems: config.error });
    return c.json({
      status: "misconfigured",
      version: VERSION,
      config: { valid: false, problems: config.error.length },
    });
  }
  const { rules, destinations } = config.value;
  return c.json({
    status: "ok",
    version: VERSION,
    config: { valid: true, rules: rules.length, destinations: Object.keys(destinations).length },
  });
}
