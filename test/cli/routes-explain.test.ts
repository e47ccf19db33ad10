// `npm run routes -- explain` through its real entry point (scripts/routes.ts),
// spawned with the same Node from the repo root; and --config / --env.
import { afterAll, describe, expect, it } from "vitest";
import vipClose from "../../examples/events/vip-close.json" with { type: "json" };
import { readSnapshot } from "../../scripts/lib/routes-names.ts";
import { formatSlack } from "../../src/destinations/slack/format.ts";
import { viewEvent } from "../../src/event/view.ts";
import { removeTempFolders, routes, routesWithInput, tempFolder } from "./run.ts";

const F = "test/cli/fixtures";
const lines = (...l: string[]) => `${l.join("\n")}\n`;
/** The demo rules are by name: explain with the names snapshot. */
const NAMES = ["--names", "examples/names.json"];
const NO_NAMES = "Names    none (ids only: set GITPLE_API_SECRET or pass --names <file.json>)";

afterAll(removeTempFolders);

describe("routes explain", () => {
  it("says which rule matched, why the others did not, and where the event goes", () => {
    const r = routes("explain", "examples/events/vip-close.json", ...NAMES);
    expect(r).toEqual({
      status: 0,
      stderr: "",
      stdout: lines(
        "Event    session_state_close · trigger 6a1f0c2e9b3d4e0012a7c311 · app demo-app",
        "Routing  wrangler.toml [vars]",
        "Names    names from examples/names.json",
        "",
        "Rules, in evaluation order:",
        '  ✓ 1. "vip session closes" → vip-slack (stop: later rules are not evaluated)',
        '  ✗ 2. "billing and refunds": not evaluated (stopped by "vip session closes")',
        '  ✗ 3. "messages to external systems": not evaluated (stopped by "vip session closes")',
        "",
        "Destinations (as POST /events would answer):",
        '  vip-slack  ← "vip session closes"',
        "",
        "Timers:",
        '  stops "unassigned" (if set for this session)',
        "",
        "Digests:",
        '  counts in "daily" as a closed session',
      ),
    });
  });

  it("names the first failed condition with what the rule asked and what the event had; fallback", () => {
    // --at: quiet hours are judged at a fixed time (a Wednesday noon, outside support-slack's windows).
    const r = routes(
      "explain",
      "test/fixtures/events/session_state_close.json",
      ...NAMES,
      "--at",
      "2026-12-02T12:00:00Z",
    );
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(
      lines(
        "Event    session_state_close · trigger 5cc6c0048e1c2a0013f0a1c3 · app acme-shop",
        "Routing  wrangler.toml [vars]",
        "Names    names from examples/names.json",
        "",
        "Rules, in evaluation order:",
        '  ✗ 1. "vip session closes": failed tags.any=[VIP], the event has none of them (its tags: ["배송지연 (5cc7a1000000000000000003)", "환불요청 (5cc7a1000000000000000002)"])',
        '  ✓ 2. "billing and refunds" → support-slack',
        '  ✗ 3. "messages to external systems": failed events=[send_external_message], the type is session_state_close',
        "",
        "Destinations (as POST /events would answer):",
        '  support-slack  ← "billing and refunds"  (quiet hours, not now)',
        "",
        "Timers:",
        '  stops "unassigned" (if set for this session)',
        "",
        "Digests:",
        '  counts in "daily" as a closed session',
      ),
    );
    // Without names the rules by name see ids only: 결제 does not match 환불's id.
    const ids = routes("explain", "test/fixtures/events/session_state_close.json");
    expect(ids.stdout).toContain(`${NO_NAMES}\n`);
    expect(ids.stdout).toContain(
      '  ✗ 2. "billing and refunds": failed categories.any=[결제], the event has none of them (its categories: [5cc7c2000000000000000001, 5cc7c2000000000000000005])\n',
    );
    expect(ids.stdout).toContain("  ops  ← fallback (no rule matched)\n");
  });

  it("lists the timers an open starts", () => {
    const r = routes("explain", "test/fixtures/events/session_state_open.json");
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(["Timers:", '  starts "unassigned": fires after 30s → ops unless stopped'].join("\n"));
    expect(r.stdout).toContain(["Digests:", '  counts in "daily" as an opened session'].join("\n"));
  });

  it("explains every kind of condition, reading the event from standard input", () => {
    // The event carries ids (a user tag, two user groups); the rules name them, resolved by the names file.
    const event = {
      triggerId: "m1",
      type: "send_external_message",
      appCode: "acme-shop",
      to: { tags: ["5cc7f4000000000000000101"], groups: ["5cc7e3000000000000000101", "5cc7e3000000000000000102"] },
    };
    const names = ["--names", `${F}/conditions-names.json`];
    const r = routesWithInput(JSON.stringify(event), "explain", "-", "--config", `${F}/conditions.toml`, ...names);
    expect(r).toEqual({
      status: 0,
      stderr: "",
      stdout: lines(
        "Event    send_external_message · trigger m1 · app acme-shop",
        `Routing  ${F}/conditions.toml [vars]`,
        `Names    names from ${F}/conditions-names.json`,
        "",
        "Rules, in evaluation order:",
        '  ✗ 1. "other app": failed app_codes=[other-shop], the appCode is acme-shop',
        '  ✗ 2. "vip big spenders": failed tags.all=[vip, "big spender"], the event lacks ["big spender"] (its tags: ["vip (5cc7f4000000000000000101)"])',
        '  ✗ 3. "no internal groups": failed groups.none=[internal], the event has [internal]',
        '  ✗ 4. "billing": failed categories.any=[billing], a send_external_message event has no categories',
        "",
        "Destinations (as POST /events would answer):",
        "  none: no rule matched and there is no fallback",
      ),
    });
    const noApp = routesWithInput('{"triggerId":"m2","type":"x"}', "explain", "-", "--config", `${F}/conditions.toml`);
    expect(noApp.stdout).toContain('  ✗ 1. "other app": failed app_codes=[other-shop], the event has no appCode\n');
  });

  it("--json answers explain()'s object: destinations in POST /events order, each rule's verdict", () => {
    const r = routes("explain", "--json", "test/fixtures/events/session_state_close.json");
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      destinations: ["ops"],
      fallback: true,
      rules: [
        { name: "vip session closes", matched: false, failed: "tags.any" },
        { name: "billing and refunds", matched: false, failed: "categories.any" },
        { name: "messages to external systems", matched: false, failed: "events" },
      ],
    });
  });

  it("--json with two matching rules keeps the rule order and lists each destination once", () => {
    const event = {
      triggerId: "t",
      type: "session_state_close",
      session: { tags: ["5cc7a1000000000000000003"], categories: ["5cc7c2000000000000000005"] },
    };
    const r = routesWithInput(JSON.stringify(event), "explain", "-", "--json", ...NAMES);
    expect(JSON.parse(r.stdout)).toEqual({
      destinations: ["support-slack"],
      fallback: false,
      rules: [
        { name: "vip session closes", matched: false, failed: "tags.any" },
        { name: "billing and refunds", matched: true },
        { name: "messages to external systems", matched: false, failed: "events" },
      ],
    });
  });

  it("--at on a weekend: support-slack would hold the notice until its quiet hours end (Monday 08:00)", () => {
    const r = routes(
      "explain",
      "test/fixtures/events/session_state_close.json",
      ...NAMES,
      "--at",
      "2026-12-05T12:00:00Z",
    );
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(
      '  support-slack  ← "billing and refunds"  (held now: quiet hours until 2026-12-07T08:00:00.000Z, then defer)',
    );
    const bad = routes("explain", "test/fixtures/events/session_state_close.json", "--at", "tomorrow");
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--at takes an ISO time (e.g. 2026-12-05T23:30:00+09:00), not "tomorrow"');
  });

  it("--render shows the Slack message the destination would receive, as the Worker formats it", () => {
    // vip-slack takes the transcript on close: a preview has no network, so it shows the placeholder line;
    // the names come from the snapshot the CLI is given, as the Worker's come from the Open API.
    const expected = formatSlack(
      viewEvent(vipClose),
      { type: "slack", webhook_url_secret: "SLACK_VIP_WEBHOOK_URL", include_contact: false, transcript: 12 },
      { speech: { names: readSnapshot("examples/names.json"), transcript: { state: "preview", last: 12 } } },
    );
    const text = routes("explain", "--render", "examples/events/vip-close.json", ...NAMES);
    expect(text.status).toBe(0);
    const heading = "\nMessage to vip-slack (slack, application/json):\n";
    expect(text.stdout).toContain(heading);
    expect(JSON.parse(text.stdout.slice(text.stdout.indexOf(heading) + heading.length))).toEqual(expected);

    const json = routes("explain", "--render", "--json", "examples/events/vip-close.json", ...NAMES);
    expect(JSON.parse(json.stdout).messages).toEqual([
      { destination: "vip-slack", type: "slack", contentType: "application/json", body: expected },
    ]);
  });

  it("--render honours include_contact (support-slack shows the email, as the Worker would send it)", () => {
    const r = routes("explain", "--render", "--json", "examples/events/external-message.json", ...NAMES);
    const [message] = JSON.parse(r.stdout).messages;
    expect(message.destination).toBe("support-slack");
    expect(JSON.stringify(message.body)).toContain("jihoon.park@example.com");
  });
});

describe("routes names", () => {
  it("prints one line per id of the event: kind, id, name (or unknown); a category with its path", () => {
    const r = routes("names", "examples/events/vip-close.json", ...NAMES);
    expect(r).toEqual({
      status: 0,
      stderr: "",
      stdout: lines(
        "sessionTags  5cc7a1000000000000000001  VIP",
        "sessionTags  5cc7a1000000000000000003  배송지연",
        "categories   5cc7c2000000000000000003  택배 분실  (배송 › 분실 › 택배 분실)",
        "userGroups   5cc7e3000000000000000001  프리미엄 회원",
        "agents       5cc6a5000000000000000001  김민준",
        "users        5cc6b9000000000000000001  박지훈",
      ),
    });
    const event = JSON.stringify({
      triggerId: "t",
      type: "session_state_close",
      session: { tags: ["5cc7a10000000000000000ff"] },
    });
    expect(routesWithInput(event, "names", "-", ...NAMES).stdout).toBe(
      "sessionTags  5cc7a10000000000000000ff  unknown\n",
    );
  });

  it("--json prints the snapshot --names reads: the same routing from it", () => {
    const r = routes("names", "--json", "examples/events/vip-close.json", ...NAMES);
    const snapshot = JSON.parse(r.stdout);
    expect(snapshot.sessionTags).toEqual({ "5cc7a1000000000000000001": "VIP", "5cc7a1000000000000000003": "배송지연" });
    expect(snapshot.categories["5cc7c2000000000000000001"]).toBe("배송");
    expect(snapshot.parents["5cc7c2000000000000000003"]).toBe("5cc7c2000000000000000002");
    expect(snapshot.meta["5cc6b9000000000000000001"]).toEqual({ plan: "gold", region: "서울" });
    const dir = tempFolder({ "names.json": r.stdout });
    const again = routes("explain", "--json", "examples/events/vip-close.json", "--names", `${dir}/names.json`);
    expect(JSON.parse(again.stdout).destinations).toEqual(["vip-slack"]);
  });

  it("without a names source, or with a bad snapshot: exit 2, saying what to do", () => {
    const none = routes("names", "examples/events/vip-close.json");
    expect(none.status).toBe(2);
    expect(none.stderr).toMatch(/GITPLE_API_SECRET.*--names <file\.json>/);
    const dir = tempFolder({ "bad.json": '{"tags": {}}', "broken.json": "{" });
    expect(routes("names", "examples/events/vip-close.json", "--names", `${dir}/bad.json`).stderr).toContain(
      'unknown key "tags"',
    );
    expect(routes("names", "examples/events/vip-close.json", "--names", `${dir}/broken.json`).stderr).toContain(
      "not valid JSON",
    );
  });
});

describe("an event over the Worker's body limit", () => {
  /** A valid event of exactly `bytes` bytes of JSON. */
  const eventOf = (bytes: number) => {
    const base = JSON.stringify({ triggerId: "big", type: "session_state_close", note: "" });
    return JSON.stringify({ triggerId: "big", type: "session_state_close", note: "x".repeat(bytes - base.length) });
  };

  it("is refused as POST /events would refuse it (413): exit 2", () => {
    expect(routesWithInput(eventOf(256 * 1024 + 1), "explain", "-")).toEqual({
      status: 2,
      stdout: "",
      stderr: "routes: standard input: event is over 256 KiB: POST /events would answer 413\n",
    });
  });

  it("is explained at exactly the limit, as POST /events would accept it", () => {
    const r = routesWithInput(eventOf(256 * 1024), "explain", "-", "--json");
    expect(r.stderr).toBe("");
    expect(JSON.parse(r.stdout).destinations).toEqual(["ops"]);
    expect(r.status).toBe(0);
  });
});

describe("--config and --env", () => {
  it("--env takes ROUTING from [env.<name>.vars]", () => {
    const r = routes(
      "explain",
      "--json",
      "examples/events/vip-close.json",
      "--config",
      `${F}/envs.toml`,
      "--env",
      "staging",
    );
    expect(JSON.parse(r.stdout)).toEqual({
      destinations: ["staging-vip"],
      fallback: false,
      rules: [{ name: "vip", matched: true }],
    });
  });

  it("without --env, the top level of --config", () => {
    const r = routes("explain", "--json", "examples/events/vip-close.json", "--config", `${F}/envs.toml`);
    expect(JSON.parse(r.stdout)).toEqual({ destinations: ["top-ops"], fallback: true, rules: [] });
  });

  it("an environment without vars of its own uses the top level, with a warning that wrangler would not", () => {
    const r = routes("tree", "--config", `${F}/envs.toml`, "--env", "novars");
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("  fallback (no rule matched)  → top-ops\n");
    expect(r.stderr).toBe(
      "warning: [env.novars] has no vars of its own, so this uses the top level's ROUTING; note that wrangler deploys such an environment with no vars at all (vars are not inherited): repeat ROUTING under [env.novars.vars]\n",
    );
  });
});
