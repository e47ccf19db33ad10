// npm run check: type-check (sources and tests), lint + format check, and the
// routing config of every wrangler environment, validated offline by the code
// the Worker runs, and the route tests in routes.test.toml. Exits 1 listing every problem.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { environments, readRouting, validate } from "./lib/wrangler-config.mjs";

let failed = false;
function step(name, command, args) {
  process.stdout.write(`\n== ${name}\n`);
  const r = spawnSync(command, args, { stdio: "inherit", shell: false });
  if (r.status !== 0) {
    failed = true;
    process.stdout.write(`✗ ${name} failed\n`);
  } else process.stdout.write(`✓ ${name}\n`);
}

step("type-check (src and tests)", "npx", ["tsc", "-p", "."]);
step("lint and format (biome)", "npx", ["biome", "check", "."]);

process.stdout.write("\n== routing config (wrangler.toml)\n");
for (const env of environments()) {
  const { routing, source } = readRouting("wrangler.toml", env);
  const result = validate(routing);
  if (result.ok) {
    process.stdout.write(
      `✓ ${source}: ${result.value.rules.length} rules, ${Object.keys(result.value.destinations).length} destinations\n`,
    );
  } else {
    failed = true;
    process.stdout.write(`✗ ${source}:\n${result.error.map((p) => `  - ${p}`).join("\n")}\n`);
  }
}
process.stdout.write("  (secrets are checked by the Worker at run time: see GET /health)\n");

// The operator's routing expectations, if they keep a test file (see README, "Testing routes before you deploy").
if (existsSync("routes.test.toml"))
  step("route tests (routes.test.toml)", "npx", ["node", "scripts/routes.mjs", "test", "routes.test.toml"]);
process.exit(failed ? 1 : 0);
