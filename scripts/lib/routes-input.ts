// Inputs of `npm run routes`: the routing config out of a wrangler.toml and
// events out of JSON files or inline tables, each read and checked by the very
// code the Worker runs (validateRouting and the send_email binding check,
// parseEvent, viewEvent; an event over the Worker's body limit is refused as
// POST /events would refuse it). Anything that
// cannot be read or is invalid throws an InputError naming the file and the
// problem; the CLI prints it and exits 2. Trade-off: offline, every secret the
// config names counts as set (the Worker checks them at run time, GET /health
// says so), so a missing `wrangler secret put` is not caught here.
import { readFileSync } from "node:fs";
import { TomlError } from "smol-toml";
import { type EventView, viewEvent } from "../../src/event/view.ts";
import { MAX_BODY_BYTES } from "../../src/ingest/body.ts";
import { MAX_ID_LENGTH, type ParseError, parseEvent } from "../../src/ingest/parse.ts";
import type { RoutingConfig } from "../../src/routing/types.ts";
import { checkRouting, environments, type FoundRouting, readRouting } from "./wrangler-config.ts";

/** An event as the Worker would see its body: the text as sent, and its view. */
export interface ReadEvent {
  readonly raw: string;
  readonly view: EventView;
}

/** A config read and validated, where it came from, and a warning to print (if any). */
export interface LoadedConfig {
  readonly config: RoutingConfig;
  readonly source: string;
  readonly warning: string | undefined;
}

/** What a failed read throws: a Node error with a `code` (ENOENT…), or anything else. */
const codeOf = (e: unknown): string | undefined =>
  typeof e === "object" && e !== null && "code" in e && typeof e.code === "string" ? e.code : undefined;

/** A config, test file or event that cannot be read or is invalid: exit 2. */
export class InputError extends Error {
  override name = "InputError";
}

/**
 * The validated routing config of `configPath`, top level or `[env.<envName>]`.
 *
 * @example
 * loadConfig("wrangler.toml", "staging")
 * // → { config: RoutingConfig, source: "wrangler.toml [env.staging.vars]", warning: undefined }
 */
export function loadConfig(configPath: string, envName: string | undefined): LoadedConfig {
  let found: FoundRouting;
  try {
    found = readRouting(configPath, envName);
  } catch (e) {
    if (e instanceof TomlError || codeOf(e)) throw readProblem(configPath, e);
    // readRouting's own message: the environment is not in the file.
    const known = environments(configPath).filter(Boolean);
    throw new InputError(`${(e as Error).message} (environments: ${known.length > 0 ? known.join(", ") : "none"})`);
  }
  // The schema, then the email destinations' send_email bindings: what the deployed Worker would refuse.
  const result = checkRouting(found);
  if (!result.ok) {
    throw new InputError(`${found.source}: invalid routing config\n${result.error.map((p) => `  - ${p}`).join("\n")}`);
  }
  const warning = found.envWithoutVars
    ? `[env.${envName}] has no vars of its own, so this uses the top level's ROUTING; note that wrangler deploys such an environment with no vars at all (vars are not inherited): repeat ROUTING under [env.${envName}.vars]`
    : undefined;
  return { config: result.value, source: found.source, warning };
}

/**
 * Reads a text file, or throws an InputError naming it.
 *
 * @example
 * readText("routes.test.toml") // → "[[cases]]\n…"
 */
export function readText(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (e) {
    throw readProblem(path, e);
  }
}

/**
 * An event file ("-" = standard input) as the Worker would see that body:
 * parsed by the ingest parser, then viewed.
 *
 * @example
 * readEvent("examples/events/vip-close.json") // → { raw: '{…}', view: { type: "session_state_close", … } }
 */
export function readEvent(path: string): ReadEvent {
  const name = path === "-" ? "standard input" : path;
  let bytes: Buffer;
  try {
    bytes = readFileSync(path === "-" ? 0 : path);
  } catch (e) {
    throw readProblem(name, e);
  }
  return eventFromBody(bytes, name);
}

/**
 * An event given inline (a TOML table in a test file), as if it were posted as JSON.
 *
 * @example
 * eventFromTable({ type: "session_state_close", triggerId: "t1" }, "cases[2].event")
 */
export function eventFromTable(table: Record<string, unknown>, where: string): ReadEvent {
  return eventFromBody(new TextEncoder().encode(JSON.stringify(table)), where);
}

/** The ingest parser's verdict on a body, with the reason in words (and JSON's own error for bad JSON). */
function eventFromBody(bytes: Uint8Array, where: string): ReadEvent {
  // The Worker reads at most this much of a body (src/ingest/body.ts) and answers 413 beyond it.
  if (bytes.length > MAX_BODY_BYTES) {
    throw new InputError(`${where}: event is over ${MAX_BODY_BYTES / 1024} KiB: POST /events would answer 413`);
  }
  const parsed = parseEvent(bytes);
  if (parsed.ok) return { raw: parsed.value.raw, view: viewEvent(parsed.value.event) };
  const error = parsed.error;
  switch (error.reason) {
    case "invalid_utf8":
      throw new InputError(`${where}: not UTF-8`);
    case "invalid_json":
      throw new InputError(`${where}: not valid JSON (${jsonError(bytes)})`);
    case "not_object":
      throw new InputError(`${where}: not a JSON object`);
    case "missing_field":
      throw new InputError(`${where}: "${error.field}" must be a non-empty string (every Gitple event has one)`);
    case "field_too_long":
      throw new InputError(`${where}: "${error.field}" is longer than ${MAX_ID_LENGTH} characters`);
    default:
      throw new InputError(`${where}: not a valid event (${(error as ParseError).reason})`);
  }
}

function jsonError(bytes: Uint8Array): string {
  try {
    JSON.parse(new TextDecoder().decode(bytes));
    return "parse error";
  } catch (e) {
    return (e as SyntaxError).message;
  }
}

/** A file that could not be read (ENOENT…) or parsed as TOML, as an InputError naming it. */
export function readProblem(path: string, e: unknown): InputError {
  if (e instanceof TomlError) {
    const what = (e.message.split("\n")[0] ?? "").replace(/^Invalid TOML document: /, "");
    return new InputError(`${path}:${e.line}:${e.column}: not valid TOML (${what})\n${e.codeblock.trimEnd()}`);
  }
  const code = codeOf(e);
  if (code === "ENOENT") return new InputError(`${path}: no such file`);
  if (code) return new InputError(`${path}: cannot be read (${code})`);
  return new InputError(`${path}: cannot be read (${e instanceof Error ? e.message : String(e)})`);
}
