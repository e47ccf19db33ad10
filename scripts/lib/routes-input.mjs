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
import { viewEvent } from "../../src/event/view.ts";
import { MAX_BODY_BYTES } from "../../src/ingest/body.ts";
import { MAX_ID_LENGTH, parseEvent } from "../../src/ingest/parse.ts";
import { checkRouting, environments, readRouting } from "./wrangler-config.mjs";

/** A config, test file or event that cannot be read or is invalid: exit 2. */
export class InputError extends Error {
  name = "InputError";
}

/**
 * The validated routing config of `configPath`, top level or `[env.<envName>]`.
 *
 * @example
 * loadConfig("wrangler.toml", "staging")
 * // → { config: RoutingConfig, source: "wrangler.toml [env.staging.vars]", warning: undefined }
 */
export function loadConfig(configPath, envName) {
  let found;
  try {
    found = readRouting(configPath, envName);
  } catch (e) {
    if (e instanceof TomlError || e?.code) throw readProblem(configPath, e);
    // readRouting's own message: the environment is not in the file.
    const known = environments(configPath).filter(Boolean);
    throw new InputError(`${e.message} (environments: ${known.length > 0 ? known.join(", ") : "none"})`);
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
export function readText(path) {
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
export function readEvent(path) {
  const name = path === "-" ? "standard input" : path;
  let bytes;
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
export function eventFromTable(table, where) {
  return eventFromBody(new TextEncoder().encode(JSON.stringify(table)), where);
}

/** The ingest parser's verdict on a body, with the reason in words (and JSON's own error for bad JSON). */
function eventFromBody(bytes, where) {
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
      throw new InputError(`${where}: not a valid event (${error.reason})`);
  }
}

function jsonError(bytes) {
  try {
    JSON.parse(new TextDecoder().decode(bytes));
    return "parse error";
  } catch (e) {
    return e.message;
  }
}

/** A file that could not be read (ENOENT…) or parsed as TOML, as an InputError naming it. */
export function readProblem(path, e) {
  if (e instanceof TomlError) {
    const what = e.message.split("\n")[0].replace(/^Invalid TOML document: /, "");
    return new InputError(`${path}:${e.line}:${e.column}: not valid TOML (${what})\n${e.codeblock.trimEnd()}`);
  }
  if (e?.code === "ENOENT") return new InputError(`${path}: no such file`);
  if (e?.code) return new InputError(`${path}: cannot be read (${e.code})`);
  return new InputError(`${path}: cannot be read (${e?.message ?? String(e)})`);
}
