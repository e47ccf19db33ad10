/**
 * The routing config of this isolate: `ROUTING` checked against the Worker's
 * secrets and bindings once, then served from memory.
 *
 * Keyed on the `env` object (a WeakMap), so a test that passes its own env
 * gets its own result. Trade-offs: a failed validation is cached too; secrets
 * and vars only change with a new deployment, which starts new isolates. The
 * kinds and the placeholder list come in as an argument like `checkConfig`'s
 * (src/routing/load.ts binds them), so one env is checked with one set.
 */
import { namedBinding, namedSecret } from "../lib/secrets.ts";
import type { Result } from "../result.ts";
import { type ConfigChecks, checkConfig } from "./check.ts";
import type { BaseDestinationConfig, RoutingConfigOf } from "./types.ts";

const cache = new WeakMap<object, Result<RoutingConfigOf<BaseDestinationConfig>, string[]>>();

/**
 * Checks `env.ROUTING` on first use per env and caches the result; a secret
 * counts as set only when it is a non-empty string, a binding only when it is
 * an object with a `send` method (a var of the same name is not one).
 *
 * @example
 * const routing = loadConfig(env, { kinds: KINDS, unknownPlaceholders });
 * if (!routing.ok) log.error("routing config invalid", { problems: routing.error });
 */
export function loadConfig<D extends BaseDestinationConfig>(
  env: Env,
  checks: Pick<ConfigChecks, "kinds" | "unknownPlaceholders">,
): Result<RoutingConfigOf<D>, string[]> {
  const cached = cache.get(env);
  if (cached) return cached as Result<RoutingConfigOf<D>, string[]>;
  const result = checkConfig<D>(env.ROUTING, {
    ...checks,
    secret: (name) => namedSecret(env, name),
    isBound: (name) => {
      const value = namedBinding(env, name);
      return typeof value === "object" && value !== null && typeof Reflect.get(value, "send") === "function";
    },
  });
  cache.set(env, result);
  return result;
}
