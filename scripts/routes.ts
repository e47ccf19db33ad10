// npm run routes -- <explain | test | tree | names> [options]
// Route testing, offline, with the code the Worker runs: the routing config is
// read out of wrangler.toml and validated by src/routing/validate.ts, events
// go through the ingest parser and src/event/view.ts, and routing is
// src/routing/match.ts. Exit codes: 0 ok, 1 failed test cases, 2 unreadable or
// invalid input (config, test file, event) or bad usage.
import { type ParseArgsOptionsConfig, parseArgs } from "node:util";
import { formatTree } from "../src/routing/tree.ts";
import { explainJson, formatExplain } from "./lib/routes-explain.ts";
import { InputError, loadConfig, readEvent } from "./lib/routes-input.ts";
import { formatNames, namesFor } from "./lib/routes-names.ts";
import { formatResults, readCases, runCases } from "./lib/routes-test.ts";

const USAGE = `Usage: npm run routes -- <command> [options]

Tests routing rules offline, with the code the Worker runs.

Commands:
  explain <event.json>     which rules match the event (and, for the others, the
                           first condition that failed), and where it goes;
                           "-" reads the event from standard input
  test <routes.test.toml>  runs a file of cases (an event, the expected destinations);
                           one PASS/FAIL line per case, exit 1 if any fails
  tree                     the rules in evaluation order, with conditions and destinations
  names <event.json>       each id in the event: its kind, the id and its name (or
                           "unknown"), which is what to write in a rule; --json prints
                           {"<kind>": {"<id>": "<name>"}}, the snapshot --names reads

Options:
  --config <path>  the wrangler config to read (default: wrangler.toml)
  --env <name>     ROUTING from [env.<name>.vars]. Wrangler environments do not
                   inherit vars: an environment with vars must repeat ROUTING there;
                   one without vars is shown with the top level's (and a warning)
  --json           explain: { destinations, fallback, rules } as JSON, the answer of
                   POST /admin/explain (destinations as POST /events would answer)
  --render         explain: also the message each destination would receive
  --names <file>   names from a snapshot (routes -- names --json) instead of the Open API
  --at <time>      explain: whether quiet hours would hold a notice at this ISO time
                   (e.g. 2026-12-05T23:30:00+09:00) instead of now

Names: explain, test and names resolve an event's ids (tags, categories, groups,
people) through the Gitple Open API when wrangler.toml has [vars.ROUTING.gitple]
and the secret it names (GITPLE_API_SECRET) is in the environment or .dev.vars,
or from --names <file.json>; without either, rules see ids only.
  -h, --help       this help

Secrets count as set offline; the Worker checks them at run time (GET /health).
Exit codes: 0 ok, 1 a test case failed, 2 a config, test file or event that
cannot be read or is invalid (or bad usage).`;

const OPTIONS = {
  config: { type: "string", default: "wrangler.toml" },
  env: { type: "string" },
  json: { type: "boolean", default: false },
  render: { type: "boolean", default: false },
  names: { type: "string" },
  at: { type: "string" },
  help: { type: "boolean", short: "h", default: false },
} as const satisfies ParseArgsOptionsConfig;

/** Thrown for a bad command line: exit 2, with the usage when `full` (no command, or an unknown one). */
class UsageError extends Error {
  readonly full: boolean;
  constructor(message: string, full = false) {
    super(message);
    this.full = full;
  }
}

async function main(argv: string[]): Promise<number> {
  let args: ReturnType<typeof parse>;
  try {
    args = parse(argv);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const { values, positionals } = args;
  const [command, ...operands] = positionals;
  if (values.help || command === "help") return print(USAGE, 0);
  if (command === undefined) throw new UsageError("a command is required", true);
  if (!isCommand(command)) throw new UsageError(`unknown command "${command}"`, true);
  if (command !== "explain" && values.render) throw new UsageError("--render applies to explain only");
  if (command !== "explain" && command !== "names" && values.json) {
    throw new UsageError("--json applies to explain and names only");
  }
  if (command !== "explain" && values.at !== undefined) throw new UsageError("--at applies to explain only");
  const at = values.at === undefined ? Date.now() : Date.parse(values.at);
  if (!Number.isFinite(at))
    throw new UsageError(`--at takes an ISO time (e.g. 2026-12-05T23:30:00+09:00), not "${values.at}"`);
  if (command === "tree" && values.names !== undefined)
    throw new UsageError("--names applies to explain, test and names");
  const wanted = command === "tree" ? 0 : 1;
  if (operands.length !== wanted) {
    const what = { explain: "one event file", test: "one test file", tree: "no file", names: "one event file" }[
      command
    ];
    throw new UsageError(`${command} takes ${what}`);
  }

  const file = operands[0] ?? ""; // explain and test: checked above
  const { config, source, warning } = loadConfig(values.config, values.env);
  if (warning) process.stderr.write(`warning: ${warning}\n`);
  switch (command) {
    case "explain": {
      const event = readEvent(file);
      const names = await namesFor(config, [event.raw], { snapshot: values.names });
      if (values.json) {
        return print(JSON.stringify(explainJson(config, event, values.render, names?.resolution), null, 2), 0);
      }
      return print(formatExplain(config, source, event, values.render, names, at), 0);
    }
    case "names": {
      const event = readEvent(file);
      const names = await namesFor(config, [event.raw], { snapshot: values.names });
      if (!names) {
        throw new InputError(
          "no names to show: add [vars.ROUTING.gitple] and put its secret (GITPLE_API_SECRET) in the environment or .dev.vars, or pass --names <file.json>",
        );
      }
      return print(formatNames(event.raw, names.resolution, values.json), 0);
    }
    case "test": {
      const cases = readCases(file, config, source);
      const names = await namesFor(
        config,
        cases.map((c) => c.event.raw),
        { snapshot: values.names },
      );
      const results = runCases(config, cases, names?.resolution);
      return print(
        formatResults(results, config, file, names ? `${source}, ${names.label}` : source),
        results.every((r) => r.pass) ? 0 : 1,
      );
    }
    case "tree":
      return print(formatTree(config, source), 0);
  }
}

const COMMANDS = ["explain", "test", "tree", "names"] as const;

function isCommand(name: string): name is (typeof COMMANDS)[number] {
  return (COMMANDS as readonly string[]).includes(name);
}

function parse(argv: string[]) {
  return parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
}

function print(text: string, code: number): number {
  process.stdout.write(`${text}\n`);
  return code;
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (e) {
  if (e instanceof UsageError) {
    process.stderr.write(
      `routes: ${e.message}\n${e.full ? `\n${USAGE}` : "Run npm run routes -- --help for usage."}\n`,
    );
  } else if (e instanceof InputError) process.stderr.write(`routes: ${e.message}\n`);
  else throw e;
  process.exitCode = 2;
}
