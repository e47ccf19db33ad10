// `npm run routes -- test <routes.test.toml>`: routing expectations as a file
// of cases, for CI (Alertmanager's `amtool config routes test`, with files).
//
//   [[cases]]
//   name = "vip close goes to the vip channel"
//   event = "examples/events/vip-close.json"   # relative to the test file (or absolute); or an inline table
//   expect = ["vip-slack"]                     # the exact set of destinations, order ignored
//
// The file is checked whole (valibot, every problem with its path), every
// event read and every expected destination looked up in the config before
// any case runs, so a broken file is exit 2, never a half-run (a misspelt
// destination is a broken test, not a failed case). Trade-off: `expect` is a
// set, so a test cannot pin the order of destinations (which only matters for
// the log, not for delivery).
import { dirname, isAbsolute, join } from "node:path";
import { parse } from "smol-toml";
import * as v from "valibot";
import { fallbackMessage } from "../../src/config/schema.ts";
import type { Resolution } from "../../src/gitple/resolve.ts";
import { list, ruleName } from "../../src/routing/describe-conditions.ts";
import { type Explanation, explain } from "../../src/routing/explain.ts";
import type { RoutingConfig } from "../../src/routing/types.ts";
import { eventFromTable, InputError, type ReadEvent, readEvent, readProblem, readText } from "./routes-input.ts";

/** One case of a test file, its event read. */
export interface Case {
  readonly name: string;
  readonly event: ReadEvent;
  readonly expect: readonly string[];
}

/** One case run: whether the destinations were the expected set, and what differed. */
export interface CaseResult {
  readonly name: string;
  readonly pass: boolean;
  readonly got: readonly string[];
  readonly missing: readonly string[];
  readonly unexpected: readonly string[];
  readonly explanation: Explanation;
}

const nonEmpty = v.pipe(
  v.string(),
  v.check((s) => s.trim() !== "", "must not be empty"),
);
const caseSchema = v.strictObject({
  name: nonEmpty,
  event: v.union(
    [nonEmpty, v.record(v.string(), v.unknown())],
    "must be the path of a JSON file (relative to the test file) or an inline table",
  ),
  expect: v.array(v.string()),
});
const fileSchema = v.strictObject({ cases: v.pipe(v.array(v.unknown()), v.minLength(1)) });
const PARSE_CONFIG = { abortPipeEarly: true, message: fallbackMessage } as const;

/**
 * Reads and checks a test file against a config: every event it names, and
 * every destination it expects; throws an InputError listing every problem
 * (each case is checked on its own, so one bad case does not hide the others' problems).
 *
 * @example
 * readCases("routes.test.toml", config, "wrangler.toml [vars]")
 * // → [{ name: "vip close…", event: { raw, view }, expect: ["vip-slack"] }, …]
 */
export function readCases(file: string, config: RoutingConfig, source: string): Case[] {
  let toml: unknown;
  try {
    toml = parse(readText(file));
  } catch (e) {
    throw e instanceof InputError ? e : readProblem(file, e);
  }
  const parsed = v.safeParse(fileSchema, toml, PARSE_CONFIG);
  if (!parsed.success)
    throw problems(
      file,
      parsed.issues.map((issue) => formatIssue(issue, "")),
    );
  const found: string[] = [];
  const cases: Case[] = [];
  const seen = new Map<string, string>();
  parsed.output.cases.forEach((input, i) => {
    const where = `cases[${i}]`;
    const one = v.safeParse(caseSchema, input, PARSE_CONFIG);
    if (!one.success) {
      found.push(...one.issues.map((issue) => formatIssue(issue, where)));
      return;
    }
    const c = one.output;
    if (seen.has(c.name))
      found.push(`${where}.name: duplicate case name ${JSON.stringify(c.name)} (also ${seen.get(c.name)})`);
    else seen.set(c.name, where);
    c.expect.forEach((name, j) => {
      if (Object.hasOwn(config.destinations, name)) return;
      const known = Object.keys(config.destinations).join(", ") || "none";
      found.push(
        `${where}.expect[${j}]: case ${JSON.stringify(c.name)} expects unknown destination ${JSON.stringify(name)} (destinations in ${source}: ${known})`,
      );
    });
    try {
      const event =
        typeof c.event === "string" ? readEvent(besideFile(file, c.event)) : eventFromTable(c.event, `${where}.event`);
      cases.push({ name: c.name, event, expect: c.expect });
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      found.push(typeof c.event === "string" ? `${where}.event: ${e.message}` : e.message);
    }
  });
  if (found.length > 0) throw problems(file, found);
  return cases;
}

/**
 * A case's event path: absolute as written, else relative to the test file
 * (path.resolve's answer, but left relative so messages name it as the operator would).
 */
function besideFile(file: string, path: string): string {
  return isAbsolute(path) ? path : join(dirname(file), path);
}

function problems(file: string, list: readonly string[]): InputError {
  return new InputError(`${file}: invalid test file\n${list.map((p) => `  - ${p}`).join("\n")}`);
}

/** `cases[1].expect: must be a list`, like the routing validator's paths; `at` prefixes the issue's own path. */
function formatIssue(issue: v.BaseIssue<unknown>, at: string): string {
  let path = at;
  for (const item of issue.path ?? []) {
    if (item.origin === "key" && item.key === issue.input) continue;
    path += typeof item.key === "number" ? `[${item.key}]` : `${path === "" ? "" : "."}${String(item.key)}`;
  }
  return `${path === "" ? "file" : path}: ${issue.message}`;
}

/**
 * Routes every case's event and compares the destinations with `expect` as sets.
 *
 * @example
 * runCases(config, cases) // → [{ name, pass: false, got: ["vip-slack"], missing: ["support-slack"], unexpected: ["vip-slack"], explanation }]
 */
export function runCases(config: RoutingConfig, cases: readonly Case[], names?: Resolution): CaseResult[] {
  return cases.map((c) => {
    const explanation = explain(config, c.event.view, names);
    const got = explanation.destinations;
    const missing = [...new Set(c.expect)].filter((name) => !got.includes(name));
    const unexpected = got.filter((name) => !c.expect.includes(name));
    return {
      name: c.name,
      pass: missing.length === 0 && unexpected.length === 0,
      got,
      missing,
      unexpected,
      explanation,
    };
  });
}

/**
 * One PASS/FAIL line per case (a failure says what was missing or unexpected
 * and which rules matched), a summary, and which rules no case matched.
 *
 * @example
 * formatResults(results, config, "routes.test.toml", "wrangler.toml [vars]")
 * // → "PASS  vip close goes to the vip channel\nFAIL  …\n\n9 passed, 1 failed (routes.test.toml against wrangler.toml [vars])\n…"
 */
export function formatResults(
  results: readonly CaseResult[],
  config: RoutingConfig,
  file: string,
  source: string,
): string {
  const lines: string[] = [];
  for (const r of results) {
    lines.push(`${r.pass ? "PASS" : "FAIL"}  ${r.name}`);
    if (r.pass) continue;
    if (r.missing.length > 0) lines.push(`        missing:    ${r.missing.join(", ")}`);
    if (r.unexpected.length > 0) lines.push(`        unexpected: ${r.unexpected.join(", ")}`);
    const matched = r.explanation.rules.filter((v) => v.matched).map((v) => ruleName(v.name));
    const because = r.explanation.fallback ? "no rule matched (fallback)" : `matched ${matched.join(", ")}`;
    lines.push(`        got ${list(r.got)}: ${because}`);
  }
  const failed = results.filter((r) => !r.pass).length;
  lines.push("", `${results.length - failed} passed, ${failed} failed (${file} against ${source})`);
  lines.push(coverage(results, config));
  return lines.join("\n");
}

/** Which rules (and the fallback) no case exercised: a hint, not a failure. */
function coverage(results: readonly CaseResult[], config: RoutingConfig): string {
  const matched = new Set(results.flatMap((r) => r.explanation.rules.filter((v) => v.matched).map((v) => v.name)));
  const untested = config.rules.filter((rule) => !matched.has(rule.name)).map((rule) => `rule ${ruleName(rule.name)}`);
  if (config.fallback.length > 0 && !results.some((r) => r.explanation.fallback)) untested.push("the fallback");
  return untested.length === 0
    ? "Coverage: every rule and the fallback are exercised by some case."
    : `Coverage: no case exercises ${untested.join(", ")}.`;
}
