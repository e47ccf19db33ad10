// npm run check: the code (both TypeScript projects, which between them must
// cover every .ts file of the repo; lint + format check; import cycles and
// layers when package.json has a `deps` script; worker-configuration.d.ts up
// to date with wrangler.toml; the bundle within its gzipped budget), and the routing config of every wrangler
// environment, validated offline by the code the Worker runs (the routing
// schema and the email destinations' send_email bindings), and the route tests
// in routes.test.toml. Exits 1 listing every problem.
//
//   npm run check                                  # everything, on wrangler.toml
//   npm run check -- --only routing                # just the routing config and route tests
//   npm run check -- --only routing --config x.toml   # another wrangler config (route tests
//                                                  # from a routes.test.toml beside it, if any)
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, isAbsolute, join, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import type { Result } from "../src/result.ts";
import type { RoutingConfig } from "../src/routing/types.ts";
import { BUNDLE_BUDGET_GZIP_KIB, bundleSize } from "./lib/bundle.ts";
import { readProblem } from "./lib/routes-input.ts";
import { checkRouting, environments, noVarsProblem, readRouting } from "./lib/wrangler-config.ts";

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
/** Wrangler without telemetry, network look-ups or its banner. */
const QUIET = { WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false", WRANGLER_HIDE_BANNER: "true" };

function step(name: string, command: string, args: string[]): void {
  process.stdout.write(`\n== ${name}\n`);
  const r = spawnSync(command, args, { stdio: "inherit", shell: false, env: { ...process.env, ...QUIET } });
  result(name, r.status === 0);
}

/** The TypeScript projects: every .ts file of the repo must be in one of them. */
const PROJECTS = [
  { name: "type-check: the Worker and its tests, in workerd (tsconfig.json)", path: "tsconfig.json" },
  {
    name: "type-check: what Node runs: CLIs, bench, CLI tests, vitest config (tsconfig.node.json)",
    path: "tsconfig.node.json",
  },
];

/**
 * Runs `tsc -p project --listFiles` as a step (its messages shown as tsc prints
 * them) and returns the absolute paths of the files the project checked.
 */
function typeCheck(name: string, project: string): Set<string> {
  process.stdout.write(`\n== ${name}\n`);
  const r = spawnSync("npx", ["tsc", "-p", project, "--listFiles"], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  });
  const files = new Set<string>();
  const messages: string[] = [];
  for (const line of (r.stdout ?? "").split("\n")) {
    // --listFiles: one absolute path a line, after tsc's messages.
    if (isAbsolute(line)) files.add(resolve(line));
    else if (line !== "") messages.push(line);
  }
  if (messages.length > 0) process.stdout.write(`${messages.join("\n")}\n`);
  result(name, r.status === 0);
  return files;
}

/** The repo's .ts files (tracked, or new and not ignored), relative; undefined outside a git work tree. */
function repoTypeScript(): string[] | undefined {
  const r = spawnSync(
    "git",
    ["ls-files", "--cached", "--others", "--exclude-standard", "--", "*.ts", "*.mts", "*.cts"],
    {
      encoding: "utf8",
    },
  );
  if (r.status !== 0) return undefined;
  return r.stdout.split("\n").filter((f) => f !== "" && existsSync(f));
}

function result(name: string, ok: boolean): void {
  if (!ok) failed = true;
  process.stdout.write(ok ? `✓ ${name}\n` : `✗ ${name} failed\n`);
}

if (only.has("code")) {
  const checked = new Set<string>();
  for (const project of PROJECTS) for (const file of typeCheck(project.name, project.path)) checked.add(file);

  const coverage = "every .ts file is type-checked by one of the projects";
  process.stdout.write(`\n== ${coverage}\n`);
  const files = repoTypeScript();
  if (files === undefined) process.stdout.write("– skipped: not a git work tree\n");
  else {
    const unchecked = files.filter((f) => !checked.has(resolve(f)));
    for (const f of unchecked)
      process.stdout.write(`  - ${relative(".", f)}: in neither tsconfig.json nor tsconfig.node.json\n`);
    result(`${coverage} (${files.length} files)`, unchecked.length === 0);
  }

  step("lint and format (biome)", "npx", ["biome", "check", "."]);

  // Import cycles and layer rules (dependency-cruiser), when the project defines them as `npm run deps`.
  const scripts: Record<string, string> = JSON.parse(readFileSync("package.json", "utf8")).scripts ?? {};
  if (scripts.deps) step("import cycles and layers (npm run deps)", "npm", ["run", "--silent", "deps"]);
  else process.stdout.write("\n== import cycles and layers\n– skipped: package.json has no deps script\n");

  // worker-configuration.d.ts is generated from wrangler.toml: a binding added there must be in the types.
  step("worker-configuration.d.ts matches wrangler.toml (wrangler types --check)", "npx", [
    "wrangler",
    "types",
    "--check",
  ]);

  // The bundle as `wrangler deploy` would upload it, against its budget: a change that grows it past fails here.
  process.stdout.write("\n== bundle size (wrangler deploy --dry-run)\n");
  try {
    const { minifiedKiB, gzipKiB } = await bundleSize();
    process.stdout.write(`${minifiedKiB} KiB minified, ${gzipKiB} KiB gzipped\n`);
    result(`bundle within ${BUNDLE_BUDGET_GZIP_KIB} KiB gzipped (${gzipKiB} KiB)`, gzipKiB <= BUNDLE_BUDGET_GZIP_KIB);
  } catch (e) {
    process.stdout.write(`${e instanceof Error ? e.message : String(e)}\n`);
    result("bundle size", false);
  }
}

if (only.has("routing")) {
  const config = flags.config;
  process.stdout.write(`\n== routing config (${config})\n`);
  let names: (string | undefined)[] = [];
  try {
    names = environments(config);
  } catch (e) {
    failed = true;
    process.stdout.write(`✗ ${readProblem(config, e).message}\n`);
  }
  for (const env of names) {
    const found = readRouting(config, env);
    // Wrangler deploys an environment without vars of its own with no vars at all: the Worker would answer 500.
    const result: Result<RoutingConfig, string[]> = found.envWithoutVars
      ? { ok: false, error: [noVarsProblem(env)] }
      : checkRouting(found);
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
  // Rules by name run against the names snapshot beside it (examples/names.json), not the live Open API.
  const tests = join(dirname(config), "routes.test.toml");
  const snapshot = join(dirname(config), "examples", "names.json");
  if (names.length > 0 && existsSync(tests)) {
    const withNames = existsSync(snapshot) ? ["--names", snapshot] : [];
    step(`route tests (${tests})`, process.execPath, [
      "scripts/routes.ts",
      "test",
      tests,
      "--config",
      config,
      ...withNames,
    ]);
  }
}
process.exit(failed ? 1 : 0);
