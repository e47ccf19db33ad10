/**
 * `checkConfig`: the one validation of the `ROUTING` var, into an immutable
 * config, reporting every problem at once as `"<path>: <message>"`
 * (Alertmanager's config.Load: reject the whole tree at load, say where and
 * why). The Worker (src/routing/load.ts) and the CLIs (scripts/lib) call it.
 *
 * The schema runs first; checks across values (duplicate rule names, unknown
 * destinations, unset secrets, a kind's cross-field rules) then run on the
 * raw input, so they are reported alongside schema errors rather than only
 * after those are fixed; bindings are checked last, on a valid config.
 * Trade-offs: config is the bottom layer, yet full validation needs the
 * destination kinds' schemas and the template placeholder list, both from
 * layers above; they come in as arguments (`ConfigChecks`), and
 * src/routing/load.ts is the one module that binds them (`validateRouting`).
 * The cross checks re-read the untyped input defensively instead of the
 * parsed output. Never throws: a bad config is a result, not a crash.
 */
import * as v from "valibot";
import { err, ok, type Result } from "../result.ts";
import { destinationSchemaOf, fallbackMessage, type KindSchemas, routingSchemaOf } from "./schema.ts";
import { isTable, SECRET_NAME, secretFieldsOf } from "./shared.ts";
import type { BaseDestinationConfig, RoutingConfigOf } from "./types.ts";

type Table = Record<string, unknown>;

/** A Worker binding a destination sends through, e.g. `{ field: "binding", type: "send_email", name: "EMAIL" }`. */
export interface BindingNeed {
  readonly field: string;
  readonly type: string;
  readonly name: string;
}

/** What config needs to know of a destination kind (src/destinations/kind.ts's `DestinationKind` has it). */
export interface KindChecks<C = never> {
  readonly schema: KindSchemas[number];
  /** Rules between the destination's fields that the schema cannot see, on the raw table, as `<at>.<field>: message`. */
  readonly problems?: (at: string, raw: Readonly<Record<string, unknown>>) => string[];
  /** The Worker bindings a valid destination sends through. */
  readonly bindings?: (destination: C) => readonly BindingNeed[];
}

export interface ConfigChecks {
  /** Every destination kind, by `type` (src/destinations/registry.ts). */
  // biome-ignore lint/suspicious/noExplicitAny: each kind checks its own config type; the map is keyed by it.
  readonly kinds: Readonly<Record<string, KindChecks<any>>>;
  /** The placeholders in a template text that no event fills (src/format/template.ts). */
  readonly unknownPlaceholders: (text: string) => readonly string[];
  /** Whether a named secret is set: its value, or undefined. */
  readonly secret: (name: string) => string | undefined;
  /** Whether a named binding of that type exists; bindings are not checked without it. */
  readonly isBound?: (name: string, type: string) => boolean;
}

/** Keys valibot's `record` skips for prototype safety; as destination names they would vanish silently. */
const RESERVED_NAMES = new Set(["__proto__", "constructor", "prototype"]);

const PARSE_CONFIG = { abortPipeEarly: true, message: fallbackMessage } as const;

/**
 * Validates `ROUTING` (the object wrangler passes for `[vars.ROUTING]`, or a
 * JSON string of it) and applies defaults.
 *
 * @example
 * checkConfig({ destinations: { ops: { type: "slack", webhook_url_secret: "OPS_URL" } }, fallback: ["ops"] }, checks)
 * // → { ok: true, value: { dedup_ttl_seconds: 86400, fallback: ["ops"], delivery: { max_attempts: 12, … }, … } }
 * checkConfig({ destinations: {}, fallback: ["ops"] }, checks)
 * // → { ok: false, error: ['fallback[0]: unknown destination "ops"'] }
 */
export function checkConfig<D extends BaseDestinationConfig>(
  input: unknown,
  checks: ConfigChecks,
): Result<RoutingConfigOf<D>, string[]> {
  try {
    return validate<D>(input, checks);
  } catch (e) {
    // Unreachable for JSON or TOML input; a last guard for exotic objects (throwing getters, proxies).
    return err([`ROUTING: could not be validated (${e instanceof Error ? e.message : typeof e})`]);
  }
}

function validate<D extends BaseDestinationConfig>(
  input: unknown,
  checks: ConfigChecks,
): Result<RoutingConfigOf<D>, string[]> {
  const decoded = decode(input);
  if (!decoded.ok) return err([decoded.error]);
  const schema = routingSchemaOf(destinationSchemaOf<D>(Object.values(checks.kinds).map((kind) => kind.schema)));
  const parsed = v.safeParse(schema, decoded.value, PARSE_CONFIG);
  const problems = (parsed.issues ?? []).map(format);
  problems.push(...crossCheck(decoded.value, checks));
  if (!parsed.success || problems.length > 0) return err([...new Set(problems)]);
  const config = parsed.output as unknown as RoutingConfigOf<D>;
  if (checks.isBound) {
    const missing = bindingProblems(config, checks);
    if (missing.length > 0) return err(missing);
  }
  return ok(deepFreeze(config));
}

/**
 * The bindings the destinations send through that `isBound` does not find,
 * one problem each, e.g. `destinations.mail.binding: send_email binding
 * "EMAIL" is not configured (add [[send_email]] name = "EMAIL" to wrangler.toml)`.
 */
function bindingProblems(config: RoutingConfigOf<BaseDestinationConfig>, checks: ConfigChecks): string[] {
  const problems: string[] = [];
  for (const [name, d] of Object.entries(config.destinations)) {
    for (const need of kindOf(checks, d.type)?.bindings?.(d) ?? []) {
      if (checks.isBound?.(need.name, need.type)) continue;
      problems.push(
        `destinations.${name}.${need.field}: ${need.type} binding "${need.name}" is not configured (add [[${need.type}]] name = "${need.name}" to wrangler.toml)`,
      );
    }
  }
  return problems;
}

// biome-ignore lint/suspicious/noExplicitAny: see ConfigChecks.kinds.
function kindOf(checks: ConfigChecks, type: unknown): KindChecks<any> | undefined {
  return typeof type === "string" && Object.hasOwn(checks.kinds, type) ? checks.kinds[type] : undefined;
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

function crossCheck(raw: Table, checks: ConfigChecks): string[] {
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
        problems.push(...checkSecrets(`destinations.${name}`, destination, checks.secret));
        problems.push(...checkTemplates(`destinations.${name}`, destination, checks));
        if (destination.during_quiet !== undefined && destination.quiet_hours === undefined) {
          problems.push(`destinations.${name}.during_quiet: needs quiet_hours`);
        }
        problems.push(...(kindOf(checks, destination.type)?.problems?.(`destinations.${name}`, destination) ?? []));
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
    problems.push(...checkTemplates(`rules[${i}]`, rule, checks));
  });
  if (checkReferences) problems.push(...unknownDestinations("fallback", raw.fallback, known));
  for (const list of ["timers", "digests"] as const) {
    problems.push(...namedProblems(list, raw[list], checkReferences ? known : undefined));
  }
  return problems;
}

/** Duplicate timer (digest) names, destinations no table defines (`timers[1].destinations[0]: …`), a timer's start in its stop list. */
function namedProblems(list: "timers" | "digests", items: unknown, known: ReadonlySet<string> | undefined): string[] {
  if (!Array.isArray(items)) return [];
  const problems: string[] = [];
  const firstNamed = new Map<string, number>();
  items.forEach((item: unknown, i) => {
    if (!isTable(item)) return;
    if (typeof item.name === "string" && item.name.trim() !== "") {
      const first = firstNamed.get(item.name);
      if (first === undefined) firstNamed.set(item.name, i);
      else
        problems.push(
          `${list}[${i}].name: duplicate ${list.slice(0, -1)} name ${JSON.stringify(item.name)} (also ${list}[${first}])`,
        );
    }
    if (known) problems.push(...unknownDestinations(`${list}[${i}].destinations`, item.destinations, known));
    // A timer stopped by its own start could never arm.
    if (Array.isArray(item.stop))
      item.stop.forEach((stop: unknown, j) => {
        if (stop === item.start)
          problems.push(`${list}[${i}].stop[${j}]: ${JSON.stringify(stop)} is the timer's start`);
      });
  });
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
function checkTemplates(at: string, table: Table, checks: ConfigChecks): string[] {
  const fields: [string, unknown][] = [
    ["subject", table.subject],
    ["session_url", table.session_url],
  ];
  if (isTable(table.template))
    fields.push(["template.title", table.template.title], ["template.text", table.template.text]);
  const problems: string[] = [];
  for (const [field, text] of fields) {
    if (typeof text !== "string") continue;
    for (const placeholder of checks.unknownPlaceholders(text)) {
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
