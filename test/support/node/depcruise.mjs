// Runs dependency-cruiser with the repo's .dependency-cruiser.cjs on a fixture tree, as `npm run deps`
// does on src/ (a child process of the same Node, cwd = the fixture's root, so the rules' `^src/` paths
// match the fixture's own src/). Node-side only: the `node` vitest project; typed by depcruise.d.mts
// (the tests type-check without @types/node, as with test/cli/run.mjs).
import { spawnSync } from "node:child_process";
import { resolve } from "node:path";

const ROOT = resolve(import.meta.dirname, "../../..");

/**
 * @example
 * depcruise("test/cli/fixtures/deps") // → { status: 3, stdout: "  error no-circular: src/routing/a.ts → …", stderr: "" }
 */
export function depcruise(fixture, target = "src") {
  const bin = resolve(ROOT, "node_modules/dependency-cruiser/bin/dependency-cruiser.mjs");
  const r = spawnSync(process.execPath, [bin, target, "--config", resolve(ROOT, ".dependency-cruiser.cjs")], {
    cwd: resolve(ROOT, fixture),
    encoding: "utf8",
    timeout: 30_000,
  });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
