/**
 * Validates the `ROUTING` var into an immutable `RoutingConfig`, reporting
 * every problem at once as `"<path>: <message>"` (Alertmanager's
 * config.Load: reject the whole tree at load, say where and why).
 *
 * The schema runs first; checks across values (duplicate rule names, unknown
 * destinations, unset secrets) then run on the raw input, so they are
 * reported alongside schema errors rather than only after those are fixed.
 * Trade-off: the cross checks re-read the untyped input defensively instead
 * of the parsed output. Never throws: a bad config is a result, not a crash.
 */
import * as v from "valibot";
import { destinationProblems, SECRET_NAME, secretFieldsOf } from "../destinations/config.ts";
import { unknownPlaceholders } from "../format/template.ts";
import { err, ok, type Result } from "../result.ts";
import { fallbackMessage, routingSchema } from "./schema.ts";
import type { RoutingConfig } from "./types.ts";

type Table = Record<string, unknown>;

/** Keys valibot's `record` skips for prototype safety; as destination names they would vanish silently. */
const RESERVED_NAMES = new Set(["__proto__", "constructor", "prototype"]);

const PARSE_CONFIG = { abortPipeEarly: true, message: fallbackMessage } as const;

/**
 * Validates `ROUTING` (the object wrangler passes for `[vars.ROUTING]`, or a
 * JSON string of it) and applies defaults; `secrets` says whether a named
 * secret is set.
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
): Result<RoutingConfig, string[]> {
  try {
    return validate(input, secrets);
  } catch (e) {
    // Unreachable for JSON or TOML input; a last guard for exotic objects (throwing getters, proxies).
    return err([`ROUTING: could not be validated (${e instanceof Error ? e.message : typeof e})`]);
  }
}

function validate(input: unknown, secrets: (name: string) => string | undefined): Result<RoutingConfig, string[]> {
  const decoded = decode(input);
  if (!decoded.ok) return err([decoded.error]);
  const parsed = v.safeParse(routingSchema, decoded.value, PARSE_CONFIG);
  const problems = (parsed.issues ?? []).map(format);
  problems.push(...crossCheck(decoded.value, secrets));
  if (!parsed.success || problems.length > 0) return err([...new Set(problems)]);
  return ok(deepFreeze(parsed.output));
}

function isTable(value: unknown): value is Table {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The input as a table: as is, or parsed from JSON. */
function decode(input: unknown): Result<Table, string> {
  if (input === undefined || input === null || (typeof input === "string" && input.trim() === "")) {
    return err("ROUTING: is not set");
  }
  let value = input;
  if (typeof input === "string") {
    try {
      value = JSON.parse(input);
    } catch (e) {
      return err(`ROUTING: is not valid JSON (${e instanceof Error ? e.message : "parse error"})`);
    }
  }
  return isTable(value) ? ok(value) : err("ROUTING: must be an object (a TOML table) or a JSON string of one");
}

/** `rules[1].destinations[0]: message`; an issue about a key itself (unknown, badly named) sits at its table. */
function format(issue: v.BaseIssue<unknown>): string {
  let path = "";
  for (const item of issue.path ?? []) {
    if (item.origin === "key" && item.key === issue.input) continue;
    path += typeof item.key === "number" ? `[${item.key}]` : `${path === "" ? "" : "."}${String(item.key)}`;
  }
  return `${path === "" ? "ROUTING" : path}: ${issue.message}`;
}

function crossCheck(raw: Table, secrets: (name: string) => string | undefined): string[] {
  const problems: string[] = [];
  const known = new Set<string>();
  // Without a destinations table every reference would be "unknown": noise on top of the one real problem.
  const checkReferences = isTable(raw.destinations);
  if (isTable(raw.destinations)) {
    for (const [name, destination] of Object.entries(raw.destinations)) {
      if (RESERVED_NAMES.has(name)) {
        problems.push(`destinations: ${JSON.stringify(name)} is a reserved name`);
        continue;
      }
      known.add(name);
      if (isTable(destination)) {
        problems.push(...checkSecrets(`destinations.${name}`, destination, secrets));
        problems.push(...checkTemplates(`destinations.${name}`, destination));
        problems.push(...destinationProblems(`destinations.${name}`, destination));
      }
    }
  }
  const rules = Array.isArray(raw.rules) ? raw.rules : [];
  const firstRuleNamed = new Map<string, number>();
  rules.forEach((rule: unknown, i) => {
    if (!isTable(rule)) return;
    const name = rule.name;
    if (typeof name === "string" && name.trim() !== "") {
      const first = firstRuleNamed.get(name);
      if (first === undefined) firstRuleNamed.set(name, i);
      else problems.push(`rules[${i}].name: duplicate rule name ${JSON.stringify(name)} (also rules[${first}])`);
    }
    if (checkReferences) problems.push(...unknownDestinations(`rules[${i}].destinations`, rule.destinations, known));
    problems.push(...checkTemplates(`rules[${i}]`, rule));
  });
  if (checkReferences) problems.push(...unknownDestinations("fallback", raw.fallback, known));
  return problems;
}

function checkSecrets(at: string, destination: Table, secrets: (name: string) => string | undefined): string[] {
  const problems: string[] = [];
  for (const [field, secret] of secretFieldsOf(destination)) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(secret) || secret.includes("/")) {
      // Someone pasted the URL (or key) itself: never echo it, since this message is logged.
      problems.push(`${at}.${field}: must be the NAME of a secret, not its value (wrangler secret put NAME)`);
    } else if (!SECRET_NAME.test(secret)) {
      problems.push(
        `${at}.${field}: invalid secret name ${JSON.stringify(secret)} (use letters, digits and "_", not starting with a digit)`,
      );
    } else if (secrets(secret) === undefined) {
      problems.push(`${at}.${field}: secret "${secret}" is not set (wrangler secret put ${secret})`);
    }
  }
  return problems;
}

/** Fields whose strings are templates: `template.title`, `template.text`, and a destination's `subject` and `session_url`. */
function checkTemplates(at: string, table: Table): string[] {
  const fields: [string, unknown][] = [
    ["subject", table.subject],
    ["session_url", table.session_url],
  ];
  if (isTable(table.template))
    fields.push(["template.title", table.template.title], ["template.text", table.template.text]);
  const problems: string[] = [];
  for (const [field, text] of fields) {
    if (typeof text !== "string") continue;
    for (const placeholder of unknownPlaceholders(text)) {
      problems.push(`${at}.${field}: unknown placeholder ${placeholder}`);
    }
  }
  return problems;
}

function unknownDestinations(at: string, names: unknown, known: ReadonlySet<string>): string[] {
  if (!Array.isArray(names)) return [];
  const problems: string[] = [];
  names.forEach((name: unknown, i) => {
    if (typeof name === "string" && !known.has(name)) {
      problems.push(`${at}[${i}]: unknown destination ${JSON.stringify(name)}`);
    }
  });
  return problems;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
