// Reads the routing config out of wrangler.toml for the CLIs (check, start,
// routes), and validates it with the very code the Worker runs (Node 24 runs
// the TypeScript sources directly).
import { readFileSync } from "node:fs";
import { parse } from "smol-toml";
import { secretNamesOf } from "../../src/destinations/config.ts";
import { validateRouting } from "../../src/routing/validate.ts";

/**
 * Returns `{ routing, source }` for the top level or for `[env.<name>]`.
 * Wrangler environments do not inherit `vars`: an environment with its own
 * `[env.<name>.vars]` uses only those, so ROUTING must be repeated there.
 */
export function readRouting(configPath = "wrangler.toml", envName) {
  const toml = parse(readFileSync(configPath, "utf8"));
  if (envName) {
    const environment = toml.env?.[envName];
    if (!environment) throw new Error(`${configPath}: no [env.${envName}] section`);
    if (environment.vars) return { routing: environment.vars.ROUTING, source: `${configPath} [env.${envName}.vars]` };
  }
  // `envWithoutVars`: an environment was asked for but has no vars of its own (wrangler would deploy it with none).
  return { routing: toml.vars?.ROUTING, source: `${configPath} [vars]`, envWithoutVars: Boolean(envName) };
}

/** Every environment named in the file, top level first (as `undefined`). */
export function environments(configPath = "wrangler.toml") {
  const toml = parse(readFileSync(configPath, "utf8"));
  return [undefined, ...Object.keys(toml.env ?? {})];
}

/**
 * Validates offline. Secrets live in Cloudflare, not in the file, so by default
 * each named secret counts as set (the Worker checks them at run time and
 * GET /health reports the result); pass `secrets` to check against real values.
 */
export function validate(routing, secrets = () => "set") {
  return validateRouting(routing, secrets);
}

/** The names of the secrets the config's destinations need, in config order. */
export function secretNames(config) {
  return [...new Set(Object.values(config.destinations).flatMap((d) => secretNamesOf(d)))];
}
