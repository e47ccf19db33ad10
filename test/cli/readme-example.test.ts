// The README's annotated example config ("Routing rules") under route tests:
// examples/readme-config.toml holds that block verbatim, and
// examples/readme-routes.test.toml exercises each of its conditions, run
// through the real entry point as an operator would run it in CI.
import { describe, expect, it } from "vitest";
import { repoFile, routes } from "./run.mjs";

const CONFIG = "examples/readme-config.toml";
const TESTS = "examples/readme-routes.test.toml";

describe("the README's example config", () => {
  it("is the TOML block printed under README.md's “Routing rules”, verbatim", () => {
    const readme = repoFile("README.md");
    const section = readme.slice(readme.indexOf("\n## Routing rules\n"));
    const block = /```toml\n([\s\S]*?)```/.exec(section)?.[1];
    expect(block).toContain("[[vars.ROUTING.rules]]");
    expect(repoFile(CONFIG)).toContain(`\n${block}`);
  });

  it("passes its route tests, which exercise every condition kind and the fallback", () => {
    const r = routes("test", TESTS, "--config", CONFIG);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const passed = r.stdout.split("\n").filter((line) => line.startsWith("PASS  "));
    // Every condition kind of the rule is the subject of at least one case.
    for (const kind of ["events", "app_codes", "tags.any", "tags.none", "categories.any", "groups.any"]) {
      expect(passed.some((line) => line.startsWith(`PASS  ${kind}:`))).toBe(true);
    }
    expect(r.stdout).toContain(`\n12 passed, 0 failed (${TESTS} against ${CONFIG} [vars])\n`);
    expect(r.stdout).toContain("Coverage: every rule and the fallback are exercised by some case.\n");
  });
});
