/**
 * The routing config of this isolate: `ROUTING` validated against the
 * Worker's secrets once, then served from memory.
 *
 * Keyed on the `env` object (a WeakMap), so a test that passes its own env
 * gets its own result. Trade-off: a failed validation is cached too; secrets
 * and vars only change with a new deployment, which starts new isolates.
 */
import { bindingProblems } from "../destinations/config.ts";
import { namedBinding, namedSecret } from "../lib/secrets.ts";
import { err, type Result } from "../result.ts";
import type { RoutingConfig } from "./types.ts";
import { validateRouting } from "./validate.ts";

const cache = new WeakMap<object, Result<RoutingConfig, string[]>>();

/**
 * Validates `env.ROUTING` on first use per env and caches the result; a
 * secret counts as set only when it is a non-empty string, a `send_email`
 * binding an email destination names must exist.
 *
 * @example
 * const routing = loadRouting(env);
 * if (!routing.ok) log.error("routing config invalid", { problems: routing.error });
 */
export function loadRouting(env: Env): Result<RoutingConfig, string[]> {
  const cached = cache.get(env);
  if (cached) return cached;
  let result = validateRouting(env.ROUTING, (name) => namedSecret(env, name));
  if (result.ok) {
    // A binding (send_email) is an object with methods; a var of the same name is not one.
    const missing = bindingProblems(result.value.destinations, (name) => {
      const value = namedBinding(env, name);
      return typeof value === "object" && value !== null && typeof Reflect.get(value, "send") === "function";
    });
    if (missing.length > 0) result = err(missing);
  }
  cache.set(env, result);
  return result;
}
