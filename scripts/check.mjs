// npm run check: type-check (sources and tests), lint + format check, and the
// routing config of every wrangler environment, validated offline by the code
// the Worker runs (the routing schema and the email destinations' send_email
// bindings), and the route tests in routes.test.toml. Exits 1 listing every problem.
//
//   npm run check                                  # everything, on wrangler.toml
//   npm run check -- --only routing                # just the routing config and route tests
//   npm run check -- --only routing --config x.toml   # another wrangler config (route tests
//                                                  # from a routes.test.toml beside it, if any)
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { parseArgs } from "node:util";
import { readProblem } from "./lib/routes-input.mjs";
import { checkRouting, environments, noVarsProblem, readRouting } from "./lib/wrangler-config.mjs";

const PARTS = ["code", "routing"];
const { values: flags } = parseArgs({
  options: {
    config: { type: "string", default: "wrangler.toml" },
    only: { type: "string", default: PARTS.join(",") },
  },
});
const only = new Set(flags.only.split(",").map((s) => s.trim()));
for (const part of only) {
  if (!PARTS.includes(part)) {
    console.error(`check: --only: unknown part "${part}" (${PARTS.join(", ")})`);
    process.exit(2);
  }
}

let failed = false;
function step(name, command, args) {
  process.stdout.write(`\n== ${name}\n`);
  const r = spawnSync(command, args, { stdio: "inherit", shell: false });
  if (r.status !== 0) {
    failed = true;
    process.stdout.write(`✗ ${name} failed\n`);
  } else process.stdout.write(`✓ ${name}\n`);
}

if (only.has("code")) {
  step("type-check (src and tests)", "npx", ["tsc", "-p", "."]);
  step("lint and format (biome)", "npx", ["biome", "check", "."]);
}

if (only.has("routing")) {
  const config = flags.config;
  process.stdout.write(`\n== routing config (${config})\n`);
  let names = [];
  try {
    names = environments(config);
  } catch (e) {
    failed = true;
    process.stdout.write(`✗ ${readProblem(config, e).message}\n`);
  }
  for (const env of names) {
    const found = readRouting(config, env);
    // Wrangler deploys an environment without vars of its own with no vars at all: the Worker would answer 500.
    const result = found.envWithoutVars ? { ok: false, error: [noVarsProblem(env)] } : checkRouting(found);
    const where = found.envWithoutVars ? `${config} [env.${env}]` : found.source;
    if (result.ok) {
      process.stdout.write(
        `✓ ${where}: ${result.value.rules.length} rules, ${Object.keys(result.value.destinations).length} destinations\n`,
      );
    } else {
      failed = true;
      process.stdout.write(`✗ ${where}:\n${result.error.map((p) => `  - ${p}`).join("\n")}\n`);
    }
  }
  process.stdout.write("  (secrets are checked by the Worker at run time: see GET /health)\n");

  // The operator's routing expectations, if they keep a test file beside the config
  // (see docs/testing-routes.md).
  const tests = join(dirname(config), "routes.test.toml");
  if (names.length > 0 && existsSync(tests)) {
    step(`route tests (${tests})`, process.execPath, ["scripts/routes.mjs", "test", tests, "--config", config]);
  }
}
process.exit(failed ? 1 : 0);
