// Reads the routing config out of wrangler.toml for the CLIs (check, start,
// routes), and validates it with the very code the Worker runs (Node 24 runs
// the TypeScript sources directly): the routing schema, and the Worker's check
// that every email destination's `send_email` binding exists, against the
// `[[send_email]]` names of the same file. Trade-off: offline, secrets count
// as set (they live in Cloudflare, not in the file).
import { readFileSync } from "node:fs";
import { parse } from "smol-toml";
import { secretNamesOf } from "../../src/destinations/registry.ts";
import { err } from "../../src/result.ts";
import { validateRouting } from "../../src/routing/load.ts";

/**
 * Returns `{ routing, source, sendEmail, env, envWithoutVars }` for the top
 * level or for `[env.<name>]`. Wrangler environments inherit neither `vars`
 * nor bindings: an environment with its own `[env.<name>.vars]` uses only
 * those (so ROUTING must be repeated there) and only its own `send_email`.
 * An environment without vars comes back with the top level's ROUTING and
 * bindings and `envWithoutVars: true` (wrangler would deploy it with no vars).
 *
 * @example
 * readRouting("wrangler.toml", "staging")
 * // → { routing: {…}, source: "wrangler.toml [env.staging.vars]", sendEmail: ["EMAIL"], env: "staging", envWithoutVars: false }
 */
export function readRouting(configPath = "wrangler.toml", envName) {
  const toml = parse(readFileSync(configPath, "utf8"));
  if (envName) {
    const environment = toml.env?.[envName];
    if (!environment) throw new Error(`${configPath}: no [env.${envName}] section`);
    if (environment.vars) {
      return {
        routing: environment.vars.ROUTING,
        source: `${configPath} [env.${envName}.vars]`,
        sendEmail: sendEmailNames(environment),
        env: envName,
        envWithoutVars: false,
      };
    }
  }
  // `envWithoutVars`: an environment was asked for but has no vars of its own (wrangler would deploy it with none).
  return {
    routing: toml.vars?.ROUTING,
    source: `${configPath} [vars]`,
    sendEmail: sendEmailNames(toml),
    env: undefined,
    envWithoutVars: Boolean(envName),
  };
}

/** The `name` of each `[[send_email]]` binding of a table (the top level, or one environment's). */
function sendEmailNames(table) {
  const list = Array.isArray(table.send_email) ? table.send_email : [];
  return list.map((binding) => binding?.name).filter((name) => typeof name === "string");
}

/** Every environment named in the file, top level first (as `undefined`). */
export function environments(configPath = "wrangler.toml") {
  const toml = parse(readFileSync(configPath, "utf8"));
  return [undefined, ...Object.keys(toml.env ?? {})];
}

/**
 * Validates the routing schema offline. Secrets live in Cloudflare, not in the
 * file, so by default each named secret counts as set (the Worker checks them
 * at run time and GET /health reports the result); pass `secrets` to check
 * against real values. Bindings are not checked here: see `checkRouting`.
 */
export function validate(routing, secrets = () => "set") {
  return validateRouting(routing, secrets);
}

/**
 * What the Worker deployed from this part of the file would say about its
 * ROUTING (src/routing/load.ts): the schema, then every email destination's
 * `send_email` binding against the names `readRouting` found. Secrets count as
 * set. An environment with vars but no ROUTING says why (vars are not inherited).
 *
 * @example
 * checkRouting(readRouting("wrangler.toml"))
 * // → { ok: false, error: ['destinations.mail.binding: send_email binding "EMAIL" is not configured (…)'] }
 */
export function checkRouting(found) {
  const { env } = found;
  if (env !== undefined && found.routing === undefined) {
    return err([
      `ROUTING: is not set: [env.${env}] has vars of its own and wrangler environments do not inherit vars from the top level, so this environment would deploy without ROUTING; repeat it under [env.${env}.vars.ROUTING]`,
    ]);
  }
  const result = validate(found.routing);
  if (!result.ok) return result;
  // The same checkConfig, now with the bindings: on a valid config only binding problems remain.
  const bound = validateRouting(
    found.routing,
    () => "set",
    (name) => found.sendEmail.includes(name),
  );
  if (bound.ok) return bound;
  const problems = bound.error;
  if (env === undefined) return err(problems);
  // The Worker's message names the top-level table; an environment needs its own (bindings are not inherited either).
  return err(
    problems.map(
      (p) =>
        `${p.replace("[[send_email]]", `[[env.${env}.send_email]]`)}; wrangler environments do not inherit bindings from the top level`,
    ),
  );
}

/** The message for an environment without vars of its own: wrangler deploys it without ROUTING. */
export function noVarsProblem(envName) {
  return `[env.${envName}] has no vars: wrangler environments do not inherit vars, so this environment would deploy without ROUTING; repeat [env.${envName}.vars.ROUTING]`;
}

/** The names of the secrets the config's destinations need, in config order. */
export function secretNames(config) {
  return [...new Set(Object.values(config.destinations).flatMap((d) => secretNamesOf(d)))];
}
