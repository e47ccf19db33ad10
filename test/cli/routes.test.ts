// `npm run routes -- test | tree`, exit codes and usage, through the real entry
// point (scripts/routes.ts), spawned with the same Node from the repo root.
import { afterAll, describe, expect, it } from "vitest";
import { removeTempFolders, repoFile, repoPath, routes, tempFolder } from "./run.ts";

const F = "test/cli/fixtures";
const lines = (...l: string[]) => `${l.join("\n")}\n`;
/** The demo rules are by name: the route tests run with the names snapshot. */
const NAMES = ["--names", "examples/names.json"];

afterAll(removeTempFolders);

describe("routes test", () => {
  it("passes the shipped routes.test.toml, which covers every rule, the stop and the fallback", () => {
    const r = routes("test", "routes.test.toml", ...NAMES);
    expect(r).toEqual({
      status: 0,
      stderr: "",
      stdout: lines(
        "PASS  a VIP session close goes to the VIP channel",
        "PASS  a VIP refund close goes only to the VIP channel (stop: billing is not evaluated)",
        "PASS  a VIP session opening is not a close: fallback",
        "PASS  a refund session opening goes to support (환불 is under 결제)",
        "PASS  a payment close without VIP goes to support",
        "PASS  billing while assigned (inprogress) is not a billing event: fallback",
        "PASS  a message to an external system goes to support",
        "PASS  a parcel-loss close (배송 › 분실 › 택배 분실) goes to ops",
        "PASS  an event type Gitple adds later goes to ops",
        "",
        "9 passed, 0 failed (routes.test.toml against wrangler.toml [vars], names from examples/names.json)",
        "Coverage: every rule and the fallback are exercised by some case.",
      ),
    });
  });

  it("exits 1 on a failing case, saying what was missing or unexpected and why", () => {
    const r = routes("test", `${F}/failing.test.toml`, ...NAMES);
    expect(r).toEqual({
      status: 1,
      stderr: "",
      stdout: lines(
        "PASS  vip close goes to the vip channel",
        "FAIL  wrongly expects a vip billing close to reach support too",
        "        missing:    support-slack",
        '        got [vip-slack]: matched "vip session closes"',
        "FAIL  wrongly expects a plain close to reach support",
        "        missing:    support-slack",
        "        unexpected: ops",
        "        got [ops]: no rule matched (fallback)",
        "",
        `1 passed, 2 failed (${F}/failing.test.toml against wrangler.toml [vars], names from examples/names.json)`,
        'Coverage: no case exercises rule "billing and refunds", rule "messages to external systems".',
      ),
    });
  });

  it("reads an event path relative to the test file, or absolute as written", () => {
    const event = repoPath("examples/events/vip-close.json");
    const dir = tempFolder({
      "abs.test.toml": `[[cases]]\nname = "absolute"\nevent = ${JSON.stringify(event)}\nexpect = ["vip-slack"]\n`,
      "rel.test.toml": `[[cases]]\nname = "relative"\nevent = "vip-close.json"\nexpect = ["vip-slack"]\n`,
      "vip-close.json": repoFile("examples/events/vip-close.json"),
    });
    for (const file of ["abs.test.toml", "rel.test.toml"]) {
      const r = routes("test", `${dir}/${file}`, "--names", repoPath("examples/names.json"));
      expect(r.stderr).toBe("");
      expect(r.stdout).toMatch(/^PASS {2}(absolute|relative)\n\n1 passed, 0 failed/);
      expect(r.status).toBe(0);
    }
  });

  it("runs against another config and environment", () => {
    const r = routes("test", `${F}/staging.test.toml`, "--config", `${F}/envs.toml`, "--env", "staging");
    expect(r.stdout).toBe(
      lines(
        "PASS  vip goes to the staging vip channel",
        "PASS  the rest goes to staging ops",
        "",
        `2 passed, 0 failed (${F}/staging.test.toml against ${F}/envs.toml [env.staging.vars])`,
        "Coverage: every rule and the fallback are exercised by some case.",
      ),
    );
    expect(r.status).toBe(0);
    // Against the top-level ROUTING of that file they name destinations it does not have: an invalid test file.
    const top = routes("test", `${F}/staging.test.toml`, "--config", `${F}/envs.toml`);
    expect(top.stderr).toContain(
      `  - cases[0].expect[0]: case "vip goes to the staging vip channel" expects unknown destination "staging-vip" (destinations in ${F}/envs.toml [vars]: top-ops)\n`,
    );
    expect(top.status).toBe(2);
  });
});

describe("routes tree", () => {
  it("prints the rules in evaluation order with conditions and destinations, then the fallback", () => {
    expect(routes("tree")).toEqual({
      status: 0,
      stderr: "",
      stdout: lines(
        "wrangler.toml [vars]: 3 rules, evaluated in order; an event goes to every matching rule's destinations",
        '  1. "vip session closes"  events=[session_state_close] tags.any=[VIP] tags.none=[테스트]  → vip-slack, stop',
        '  2. "billing and refunds"  events=[session_state_open, session_state_close] categories.any=[결제]  → support-slack',
        '  3. "messages to external systems"  events=[send_external_message]  → support-slack',
        "  fallback (no rule matched)  → ops",
        "destinations: vip-slack (slack), support-slack (slack), ops (slack), support-app (slack)",
      ),
    });
  });

  it.each([
    ["top level", []],
    ["an environment with its own [[env.prod.send_email]]", ["--env", "prod"]],
  ])("accepts an email destination whose send_email binding is configured: %s", (_, env) => {
    const r = routes("tree", "--config", `${F}/email-envs.toml`, ...env);
    expect(r.stderr).toBe("");
    expect(r.stdout).toContain("destinations: mail (email)\n");
    expect(r.status).toBe(0);
  });

  it("shows a config without a fallback", () => {
    const r = routes("tree", "--config", `${F}/conditions.toml`);
    expect(r.stdout).toContain('  2. "vip big spenders"  tags.all=[vip, "big spender"]  → a\n');
    expect(r.stdout).toContain("  fallback (no rule matched)  → nowhere (no fallback)\n");
  });
});

describe("exit 2: input that cannot be read or is invalid, named with its problem", () => {
  it.each<[string, string[], string]>([
    ["missing event file", ["explain", "no-such.json"], "routes: no-such.json: no such file\n"],
    ["missing test file", ["test", "no-such.test.toml"], "routes: no-such.test.toml: no such file\n"],
    ["missing config", ["tree", "--config", "no-such.toml"], "routes: no-such.toml: no such file\n"],
    [
      "config that is not TOML",
      ["tree", "--config", `${F}/bad.toml`],
      `routes: ${F}/bad.toml:3:1: not valid TOML (expected comma or end of structure)\n2:  fallback = ["ops"\n`,
    ],
    [
      "event that is not JSON",
      ["explain", `${F}/truncated-event.txt`],
      `routes: ${F}/truncated-event.txt: not valid JSON (Expected ',' or ']' after array element in JSON at position 79 (line 1 column 80))\n`,
    ],
    [
      "event without a triggerId",
      ["explain", `${F}/no-trigger.json`],
      `routes: ${F}/no-trigger.json: "triggerId" must be a non-empty string (every Gitple event has one)\n`,
    ],
    [
      "invalid routing config, every problem with its path",
      ["explain", "examples/events/vip-close.json", "--config", `${F}/invalid-routing.toml`],
      lines(
        `routes: ${F}/invalid-routing.toml [vars]: invalid routing config`,
        '  - rules[0].tags: unknown key "anyy"',
        '  - rules[0].destinations[1]: unknown destination "vip"',
        '  - fallback[0]: unknown destination "opz"',
      ),
    ],
    [
      "unknown --env",
      ["tree", "--config", `${F}/envs.toml`, "--env", "prod"],
      `routes: ${F}/envs.toml: no [env.prod] section (environments: staging, novars, bare)\n`,
    ],
    [
      "invalid test file, every problem with its path",
      ["test", `${F}/bad-cases.test.toml`],
      lines(
        `routes: ${F}/bad-cases.test.toml: invalid test file`,
        "  - cases[0].name: must not be empty",
        "  - cases[0].expect: must be a list",
        "  - cases[1].event: is required",
        '  - cases[1]: unknown key "events"',
        `  - cases[2].event: ${F}/no-such-event.json: no such file`,
        '  - cases[3].event: "triggerId" must be a non-empty string (every Gitple event has one)',
        '  - cases[4].expect[1]: case "misspelt destination" expects unknown destination "suport-slack" (destinations in wrangler.toml [vars]: vip-slack, support-slack, ops, support-app)',
      ),
    ],
    [
      "test file expecting a destination the config does not have: no case runs",
      ["test", `${F}/unknown-destination.test.toml`],
      lines(
        `routes: ${F}/unknown-destination.test.toml: invalid test file`,
        '  - cases[1].expect[0]: case "a plain close goes to ops" expects unknown destination "opps" (destinations in wrangler.toml [vars]: vip-slack, support-slack, ops, support-app)',
      ),
    ],
    [
      "email through Cloudflare without a send_email binding (the Worker would refuse it)",
      ["tree", "--config", `${F}/email-unbound.toml`],
      lines(
        `routes: ${F}/email-unbound.toml [vars]: invalid routing config`,
        '  - destinations.mail.binding: send_email binding "EMAIL" is not configured (add [[send_email]] name = "EMAIL" to wrangler.toml)',
      ),
    ],
    [
      "an environment with email but no send_email of its own (bindings are not inherited)",
      ["explain", "examples/events/vip-close.json", "--config", `${F}/email-envs.toml`, "--env", "staging"],
      lines(
        `routes: ${F}/email-envs.toml [env.staging.vars]: invalid routing config`,
        '  - destinations.mail.binding: send_email binding "MAIL" is not configured (add [[env.staging.send_email]] name = "MAIL" to wrangler.toml); wrangler environments do not inherit bindings from the top level',
      ),
    ],
    [
      "an environment with vars but no ROUTING (vars are not inherited)",
      ["tree", "--config", `${F}/envs.toml`, "--env", "bare"],
      lines(
        `routes: ${F}/envs.toml [env.bare.vars]: invalid routing config`,
        "  - ROUTING: is not set: [env.bare] has vars of its own and wrangler environments do not inherit vars from the top level, so this environment would deploy without ROUTING; repeat it under [env.bare.vars.ROUTING]",
      ),
    ],
    [
      "test file that is not TOML",
      ["test", `${F}/bad.toml`],
      `routes: ${F}/bad.toml:3:1: not valid TOML (expected comma or end of structure)\n2:  fallback = ["ops"\n`,
    ],
    [
      "a missing operand",
      ["explain"],
      "routes: explain takes one event file\nRun npm run routes -- --help for usage.\n",
    ],
    [
      "an option for another command",
      ["tree", "--render"],
      "routes: --render applies to explain only\nRun npm run routes -- --help for usage.\n",
    ],
  ])("%s", (_, args, stderr) => {
    expect(routes(...args)).toEqual({ status: 2, stdout: "", stderr });
  });

  it.each<[string, string[], string]>([
    ["an unknown command", ["frob"], 'routes: unknown command "frob"\n\nUsage: npm run routes -- <command>'],
    ["no command", [], "routes: a command is required\n\nUsage: npm run routes -- <command>"],
    ["an unknown option", ["tree", "--bogus"], "routes: Unknown option '--bogus'"],
  ])("%s: the usage", (_, args, start) => {
    const r = routes(...args);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr.startsWith(start)).toBe(true);
  });
});

describe("--help", () => {
  it.each([["--help"], ["-h"], ["help"]])("%s prints the usage and exits 0", (arg) => {
    const r = routes(arg);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Usage: npm run routes -- <command> \[options\]\n/);
    expect(r.stdout).toContain("explain <event.json>");
    expect(r.stdout).toContain("test <routes.test.toml>");
    expect(r.stdout).toContain("Wrangler environments do not\n                   inherit vars");
  });
});
