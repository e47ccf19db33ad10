/**
 * The isolate's view of the Open API configuration for `/health` and the log: a 401 is a config
 * problem (wrong api_secret or appCode), logged once per isolate, shown in /health until a later
 * lookup succeeds, and never a reason to fail an event (the relay carries on with ids).
 * State lives in isolate memory: a new isolate (e.g. after `wrangler secret put`) starts clean.
 */
import { log } from "../log/log.ts";
import type { Resolution } from "./resolve.ts";

let problem: string | null = null;

/** What `/health` adds: `"gitple": {"configured": true, "secret": {"set": true}, "problem"?: "…"}` (never a value). */
export interface GitpleHealth {
  configured: boolean;
  secret?: { set: boolean };
  problem?: string;
}

/**
 * Records what a resolution said about the configuration; logs a new 401 problem once.
 * @example
 *   const res = await resolveNames(ids, options);
 *   noteResolution(res, event.appCode); // logs {"level":"error","msg":"gitple open api unauthorized",…} the first time
 */
export function noteResolution(res: Pick<Resolution, "unauthorized" | "calls" | "pending">, appCode: string): void {
  if (res.unauthorized !== null) {
    if (problem !== res.unauthorized)
      log("error", "gitple open api unauthorized", { appCode, problem: res.unauthorized });
    problem = res.unauthorized;
  } else if (res.calls > 0 && res.pending.length === 0) {
    problem = null; // Gitple answered: whatever was wrong is fixed
  }
}

/**
 * @example
 *   gitpleHealth(config.gitple !== undefined, Boolean(env[config.gitple.api_secret]))
 *   // → { configured: true, secret: { set: true } } or with problem: "Gitple Open API answered 401 …"
 */
export function gitpleHealth(configured: boolean, secretSet: boolean): GitpleHealth {
  if (!configured) return { configured: false };
  return problem === null
    ? { configured, secret: { set: secretSet } }
    : { configured, secret: { set: secretSet }, problem };
}
