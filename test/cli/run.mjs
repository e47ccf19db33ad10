// Runs a CLI of this repo through its real entry point, as `npm run` would:
// a child process of the same Node (Node 24, which runs the TypeScript sources),
// from the repo root. Node-side only: the `node` vitest project.
import { spawnSync } from "node:child_process";
import { resolve } from "node:path";

const ROOT = resolve(import.meta.dirname, "../..");

/**
 * @example
 * routes("tree") // → { status: 0, stdout: "wrangler.toml [vars]: 3 rules…\n", stderr: "" }
 */
export function routes(...args) {
  return run("scripts/routes.mjs", args);
}

/** Like routes(), with `input` on standard input. */
export function routesWithInput(input, ...args) {
  return run("scripts/routes.mjs", args, input);
}

function run(script, args, input) {
  const r = spawnSync(process.execPath, [script, ...args], { cwd: ROOT, encoding: "utf8", input, timeout: 20_000 });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
