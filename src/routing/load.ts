/**
 * The config bound to this Worker's destination kinds and template
 * placeholders: the one place where src/config's `checkConfig` (which sits
 * below the kinds and takes them as an argument) meets the registry.
 *
 * Trade-off: a composition module in the routing layer, just above the
 * kinds, rather than config importing upwards; the Worker (`loadRouting`) and
 * the CLIs (`validateRouting`, scripts/lib/wrangler-config.mjs) all go
 * through here, so no validation step is written twice.
 */
import { checkConfig } from "../config/check.ts";
import { loadConfig } from "../config/load.ts";
import { type DestinationConfig, KINDS } from "../destinations/registry.ts";
import { unknownPlaceholders } from "../format/template.ts";
import type { Result } from "../result.ts";
import type { RoutingConfig } from "./types.ts";

/**
 * Validates `ROUTING` and applies defaults; `secrets` says whether a named
 * secret is set, `isBound` (when given) whether a named binding exists.
 *
 * @example
 * validateRouting({ destinations: { ops: { type: "slack", webhook_url_secret: "OPS_URL" } }, fallback: ["ops"] }, (n) => env[n])
 * // → { ok: true, value: { dedup_ttl_seconds: 86400, fallback: ["ops"], delivery: { max_attempts: 12, … }, … } }
 * validateRouting({ destinations: {}, fallback: ["ops"] }, () => undefined)
 * // → { ok: false, error: ['fallback[0]: unknown destination "ops"'] }
 */
export function validateRouting(
  input: unknown,
  secrets: (name: string) => string | undefined,
  isBound?: (name: string, type: string) => boolean,
): Result<RoutingConfig, string[]> {
  return checkConfig<DestinationConfig>(input, {
    kinds: KINDS,
    unknownPlaceholders,
    secret: secrets,
    ...(isBound ? { isBound } : {}),
  });
}

/**
 * `env.ROUTING` checked against the Worker's secrets and bindings, once per env.
 *
 * @example
 * const routing = loadRouting(env);
 * if (!routing.ok) log.error("routing config invalid", { problems: routing.error });
 */
export function loadRouting(env: Env): Result<RoutingConfig, string[]> {
  return loadConfig<DestinationConfig>(env, { kinds: KINDS, unknownPlaceholders });
}
