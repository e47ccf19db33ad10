// The docs' config examples under test, through the real entry points as an
// operator would run them. The annotated example config of docs/configuration.md
// is kept verbatim in examples/annotated-config.toml, and
// examples/annotated-routes.test.toml exercises each of its conditions. The
// README's one routing example is checked to be valid and to route as its text says.
import { afterAll, describe, expect, it } from "vitest";
import { check, removeTempFolders, repoFile, repoPath, routes, tempFolder } from "./run.ts";

const CONFIG = "examples/annotated-config.toml";
const TESTS = "examples/annotated-routes.test.toml";

/** The first ```toml block after `heading` in a repo file. */
function tomlBlockAfter(file: string, heading: string): string | undefined {
  const text = repoFile(file);
  const at = text.indexOf(`\n${heading}\n`);
  if (at < 0) return undefined;
  return /```toml\n([\s\S]*?)```/.exec(text.slice(at))?.[1];
}

afterAll(removeTempFolders);

describe("the annotated example config (docs/configuration.md)", () => {
  it("is the TOML block printed under docs/configuration.md's “The annotated example”, verbatim", () => {
    const block = tomlBlockAfter("docs/configuration.md", "## The annotated example");
    expect(block).toContain("[[vars.ROUTING.rules]]");
    expect(repoFile(CONFIG)).toContain(`\n${block}`);
  });

  it("passes its route tests, which exercise every condition kind and the fallback", () => {
    const r = routes("test", TESTS, "--config", CONFIG, "--names", "examples/names.json");
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const passed = r.stdout.split("\n").filter((line) => line.startsWith("PASS  "));
    // Every condition kind of the rule is the subject of at least one case.
    for (const kind of ["events", "app_codes", "tags.any", "tags.none", "categories.any", "groups.any"]) {
      expect(passed.some((line) => line.startsWith(`PASS  ${kind}:`))).toBe(true);
    }
    expect(r.stdout).toContain(
      `\n12 passed, 0 failed (${TESTS} against ${CONFIG} [vars], names from examples/names.json)\n`,
    );
    expect(r.stdout).toContain("Coverage: every rule and the fallback are exercised by some case.\n");
  });
});

describe("the README's routing example", () => {
  const block = tomlBlockAfter("README.md", "## A routing example");

  it("is valid config", () => {
    expect(block).toContain("[[vars.ROUTING.rules]]");
    const dir = tempFolder({ "wrangler.toml": `name = "readme-example"\n\n${block}` });
    const r = check("--only", "routing", "--config", `${dir}/wrangler.toml`);
    expect(r.stdout).toContain(`✓ ${dir}/wrangler.toml [vars]: 1 rules, 2 destinations\n`);
    expect(r.status).toBe(0);
  });

  it("routes as the README says: VIP session closes to vip-slack, everything else to ops", () => {
    // Real events carry the tag's id; examples/names.json names 5cc7a1000000000000000001 "VIP".
    const cases = `
[[cases]]
name = "a VIP session close"
expect = ["vip-slack"]
event = { type = "session_state_close", triggerId = "t1", appCode = "MY_APP", session = { tags = ["5cc7a1000000000000000001"] } }

[[cases]]
name = "a VIP session opening"
expect = ["ops"]
event = { type = "session_state_open", triggerId = "t2", appCode = "MY_APP", session = { tags = ["5cc7a1000000000000000001"] } }

[[cases]]
name = "a session close without the tag"
expect = ["ops"]
event = { type = "session_state_close", triggerId = "t3", appCode = "MY_APP", session = { tags = ["5cc7a1000000000000000003"] } }
`;
    const dir = tempFolder({ "wrangler.toml": `name = "readme-example"\n\n${block}`, "routes.test.toml": cases });
    const r = routes(
      "test",
      `${dir}/routes.test.toml`,
      "--config",
      `${dir}/wrangler.toml`,
      "--names",
      repoPath("examples/names.json"),
    );
    expect(r.stderr).toBe("");
    expect(r.stdout).toContain("3 passed, 0 failed");
    expect(r.status).toBe(0);
  });
});
