/**
 * What the console reads of the deployment's configuration besides the admin
 * API: the validated routing config (for the rules tree, the destination
 * filter and the problems list), and, from the raw `ROUTING` var, the keys
 * newer issues add (`timezone`, `[gitple]`, Slack app destinations) so the
 * pages show them where configured without depending on their types.
 * Secret values are never read here: only whether a named secret is set.
 */

import { secretFieldsOf } from "../config/shared.ts";
import { namedSecret } from "../lib/secrets.ts";
import { err, type Result } from "../result.ts";
import { loadRouting } from "../routing/load.ts";
import type { RoutingConfig } from "../routing/types.ts";

type Table = Record<string, unknown>;

const isTable = (v: unknown): v is Table => typeof v === "object" && v !== null && !Array.isArray(v);

/** The validated routing config, or every problem with its path. */
export function routing(env: Env): Result<RoutingConfig, string[]> {
  try {
    return loadRouting(env);
  } catch (e) {
    return err([`ROUTING could not be read: ${e instanceof Error ? e.message : String(e)}`]);
  }
}

const parsed = new WeakMap<object, Table>();

/** `ROUTING` as wrangler passes it: a table, or (a `--var`, a dashboard var) its JSON text. */
function raw(env: Env): Table {
  const cached = parsed.get(env);
  if (cached) return cached;
  let value: unknown = env.ROUTING;
  if (typeof value === "string") {
    try {
      value = JSON.parse(value);
    } catch {
      value = {};
    }
  }
  const table = isTable(value) ? value : {};
  parsed.set(env, table);
  return table;
}

/** True when the Worker has the secret `name` (a non-empty string). Never returns the value. */
export function secretSet(env: Env, name: string): boolean {
  return namedSecret(env, name) !== undefined;
}

/** The configured IANA `timezone` when the runtime knows it, else "UTC". */
export function timezoneOf(env: Env): string {
  const tz = raw(env).timezone;
  if (typeof tz !== "string" || tz === "") return "UTC";
  try {
    new Intl.DateTimeFormat("en", { timeZone: tz });
    return tz;
  } catch {
    return "UTC";
  }
}

export interface NamedSecret {
  readonly name: string;
  /** Who reads it: "signature check", "destinations.ops.webhook_url_secret", … */
  readonly usedBy: string;
  readonly set: boolean;
}

/** Every secret the deployment names (the relay's own, the config's), whether it is set. */
export function namedSecrets(env: Env): NamedSecret[] {
  const out: NamedSecret[] = [
    { name: "GITPLE_SECRET", usedBy: "signature check", set: secretSet(env, "GITPLE_SECRET") },
    {
      name: "GITPLE_SECRET_PREVIOUS",
      usedBy: "signature check (rotation)",
      set: secretSet(env, "GITPLE_SECRET_PREVIOUS"),
    },
    { name: "ADMIN_TOKEN", usedBy: "admin API and console", set: secretSet(env, "ADMIN_TOKEN") },
  ];
  const config = raw(env);
  const gitple = config.gitple;
  if (isTable(gitple) && typeof gitple.api_secret === "string") {
    out.push({ name: gitple.api_secret, usedBy: "gitple.api_secret", set: secretSet(env, gitple.api_secret) });
  }
  const destinations = isTable(config.destinations) ? config.destinations : {};
  for (const [dest, table] of Object.entries(destinations)) {
    if (!isTable(table)) continue;
    for (const [field, name] of secretFieldsOf(table)) {
      out.push({ name, usedBy: `destinations.${dest}.${field}`, set: secretSet(env, name) });
    }
  }
  return out;
}

/** The Gitple Open API settings (`[vars.ROUTING.gitple]`, issue 10) as plain values, or null. */
export function gitpleSettings(env: Env): [key: string, value: string][] | null {
  const gitple = raw(env).gitple;
  if (!isTable(gitple)) return null;
  return ["api_url", "api_secret", "cache_ttl_seconds", "timeout_seconds"]
    .filter((k) => gitple[k] !== undefined)
    .map((k) => [k, String(gitple[k])]);
}

/** Slack destinations that post as an app (`bot_token_secret`, issue 11): their channel and per-session mode. */
export function slackApps(env: Env): { destination: string; settings: [string, string][] }[] {
  const destinations = raw(env).destinations;
  if (!isTable(destinations)) return [];
  return Object.entries(destinations).flatMap(([destination, d]) => {
    if (!isTable(d) || d.type !== "slack" || typeof d.bot_token_secret !== "string") return [];
    const keys = ["channel", "per_session", "api_url", "bot_token_secret"].filter((k) => d[k] !== undefined);
    return [{ destination, settings: keys.map((k): [string, string] => [k, String(d[k])]) }];
  });
}
