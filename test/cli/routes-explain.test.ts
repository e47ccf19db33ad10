// `npm run routes -- explain` through its real entry point (scripts/routes.ts),
// spawned with the same Node from the repo root; and --config / --env.
import { describe, expect, it } from "vitest";
import vipClose from "../../examples/events/vip-close.json" with { type: "json" };
import { formatSlack } from "../../src/destinations/slack/format.ts";
import { viewEvent } from "../../src/event/view.ts";
import { routes, routesWithInput } from "./run.ts";

const F = "test/cli/fixtures";
const lines = (...l: string[]) => `${l.join("\n")}\n`;

describe("routes explain", () => {
  it("says which rule matched, why the others did not, and where the event goes", () => {
    const r = routes("explain", "examples/events/vip-close.json");
    expect(r).toEqual({
      status: 0,
      stderr: "",
      stdout: lines(
        "Event    session_state_close · trigger 6a1f0c2e9b3d4e0012a7c311 · app acme-shop",
        "Routing  wrangler.toml [vars]",
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
      ),
    });
  });

  it("names the first failed condition with what the rule asked and what the event had; fallback", () => {
    const r = routes("explain", "test/fixtures/events/session_state_close.json");
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(
      lines(
        "Event    session_state_close · trigger 5cc6c0048e1c2a0013f0a1c3 · app acme-shop",
        "Routing  wrangler.toml [vars]",
        "",
        "Rules, in evaluation order:",
        '  ✗ 1. "vip session closes": failed tags.any=[vip], the event has none of them (its tags: [배송지연, 환불요청])',
        '  ✗ 2. "billing and refunds": failed categories.any=[billing, refund], the event has none of them (its categories: [배송, 환불])',
        '  ✗ 3. "messages to external systems": failed events=[send_external_message], the type is session_state_close',
        "",
        "Destinations (as POST /events would answer):",
        "  ops  ← fallback (no rule matched)",
        "",
        "Timers:",
        '  stops "unassigned" (if set for this session)',
      ),
    );
  });

  it("lists the timers an open starts", () => {
    const r = routes("explain", "test/fixtures/events/session_state_open.json");
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(["Timers:", '  starts "unassigned": fires after 30s → ops unless stopped'].join("\n"));
  });

  it("explains every kind of condition, reading the event from standard input", () => {
    const event = {
      triggerId: "m1",
      type: "send_external_message",
      appCode: "acme-shop",
      to: { tags: ["vip"], groups: ["internal", "members"] },
    };
    const r = routesWithInput(JSON.stringify(event), "explain", "-", "--config", `${F}/conditions.toml`);
    expect(r).toEqual({
      status: 0,
      stderr: "",
      stdout: lines(
        "Event    send_external_message · trigger m1 · app acme-shop",
        `Routing  ${F}/conditions.toml [vars]`,
        "",
        "Rules, in evaluation order:",
        '  ✗ 1. "other app": failed app_codes=[other-shop], the appCode is acme-shop',
        '  ✗ 2. "vip big spenders": failed tags.all=[vip, "big spender"], the event lacks ["big spender"] (its tags: [vip])',
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
      session: { tags: ["vip", "test"], categories: ["refund"] },
    };
    const r = routesWithInput(JSON.stringify(event), "explain", "-", "--json");
    expect(JSON.parse(r.stdout)).toEqual({
      destinations: ["support-slack"],
      fallback: false,
      rules: [
        { name: "vip session closes", matched: false, failed: "tags.none" },
        { name: "billing and refunds", matched: true },
        { name: "messages to external systems", matched: false, failed: "events" },
      ],
    });
  });

  it("--render shows the Slack message the destination would receive, as the Worker formats it", () => {
    const expected = formatSlack(viewEvent(vipClose), {
      type: "slack",
      webhook_url_secret: "SLACK_VIP_WEBHOOK_URL",
      include_contact: false,
    });
    const text = routes("explain", "--render", "examples/events/vip-close.json");
    expect(text.status).toBe(0);
    const heading = "\nMessage to vip-slack (slack, application/json):\n";
    expect(text.stdout).toContain(heading);
    expect(JSON.parse(text.stdout.slice(text.stdout.indexOf(heading) + heading.length))).toEqual(expected);

    const json = routes("explain", "--render", "--json", "examples/events/vip-close.json");
    expect(JSON.parse(json.stdout).messages).toEqual([
      { destination: "vip-slack", type: "slack", contentType: "application/json", body: expected },
    ]);
  });

  it("--render honours include_contact (support-slack shows the email, as the Worker would send it)", () => {
    const r = routes("explain", "--render", "--json", "examples/events/external-message.json");
    const [message] = JSON.parse(r.stdout).messages;
    expect(message.destination).toBe("support-slack");
    expect(JSON.stringify(message.body)).toContain("minji.kim@example.com");
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
