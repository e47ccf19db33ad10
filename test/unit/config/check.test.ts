import { describe, expect, it } from "vitest";
import { validateRouting } from "../../../src/routing/load.ts";
import { TAG } from "../../support/ids.ts";

const SECRETS: Record<string, string> = {
  OPS_URL: "https://hooks.slack.com/ops",
  VIP_URL: "https://hooks.slack.com/vip",
};
const secrets = (name: string) => SECRETS[name];

/** A fresh valid config; rows change one thing in it. */
function base(): Record<string, unknown> {
  return {
    fallback: ["ops"],
    destinations: {
      ops: { type: "slack", webhook_url_secret: "OPS_URL" },
      "vip-slack": { type: "slack", webhook_url_secret: "VIP_URL", include_contact: true },
    },
    rules: [{ name: "vip", tags: { any: [TAG.vip] }, destinations: ["vip-slack"] }],
  };
}

const withRule = (rule: Record<string, unknown>) => ({ ...base(), rules: [rule] });
const rule = (extra: Record<string, unknown>) => withRule({ name: "r", destinations: ["ops"], ...extra });
const withDelivery = (delivery: Record<string, unknown>) => ({ ...base(), delivery });
const withDestination = (name: string, destination: unknown) => ({
  ...base(),
  destinations: { ...(base().destinations as object), [name]: destination },
});
const slack = (extra: Record<string, unknown> = {}) => ({ type: "slack", webhook_url_secret: "OPS_URL", ...extra });

describe("validateRouting rejects", () => {
  it.each<[string, unknown, string[]]>([
    ["ROUTING missing", undefined, ["ROUTING: is not set"]],
    ["ROUTING null", null, ["ROUTING: is not set"]],
    ["ROUTING empty string", "  ", ["ROUTING: is not set"]],
    ["ROUTING a number", 42, ["ROUTING: must be an object (a TOML table) or a JSON string of one"]],
    ["ROUTING a list", [base()], ["ROUTING: must be an object (a TOML table) or a JSON string of one"]],
    ["ROUTING JSON of a list", "[1]", ["ROUTING: must be an object (a TOML table) or a JSON string of one"]],
    ["unknown top-level key", { ...base(), route: [] }, ['ROUTING: unknown key "route"']],
    [
      "unknown rule key (and the key it replaced)",
      withRule({ name: "r", destination: ["ops"] }),
      ["rules[0].destinations: is required", 'rules[0]: unknown key "destination"'],
    ],
    ["unknown delivery key", withDelivery({ retries: 3 }), ['delivery: unknown key "retries"']],
    [
      "unknown destination key",
      withDestination("x", slack({ url: "https://…" })),
      ['destinations.x: unknown key "url"'],
    ],
    ["unknown condition key", rule({ tags: { anyof: [TAG.vip] } }), ['rules[0].tags: unknown key "anyof"']],
    ["unknown template key", rule({ template: { body: "…" } }), ['rules[0].template: unknown key "body"']],
    ["missing destinations table", { fallback: [] }, ["destinations: is required"]],
    [
      "destinations not a table",
      { ...base(), destinations: ["ops"] },
      ["destinations: must be an object (a TOML table)"],
    ],
    ["rules not a list", { ...base(), rules: { name: "r" } }, ["rules: must be a list"]],
    ["rule not a table", { ...base(), rules: ["r"] }, ["rules[0]: must be an object (a TOML table)"]],
    ["missing rule name", withRule({ destinations: ["ops"] }), ["rules[0].name: is required"]],
    ["blank rule name", rule({ name: " " }), ["rules[0].name: must not be empty"]],
    ["rule name not a string", rule({ name: 7 }), ["rules[0].name: must be a string"]],
    [
      "duplicate rule names",
      { ...base(), rules: ["a", "x", "b", "x"].map((name) => ({ name, destinations: ["ops"] })) },
      ['rules[3].name: duplicate rule name "x" (also rules[1])'],
    ],
    ["stop not a boolean", rule({ stop: "yes" }), ["rules[0].stop: must be a boolean"]],
    ["events not a list", rule({ events: "session_state_close" }), ["rules[0].events: must be a list"]],
    ["events item not a string", rule({ events: ["session_state_open", 3] }), ["rules[0].events[1]: must be a string"]],
    ["empty events", rule({ events: [] }), ["rules[0].events: must not be empty"]],
    ["empty app_codes", rule({ app_codes: [] }), ["rules[0].app_codes: must not be empty"]],
    ["empty destinations", rule({ destinations: [] }), ["rules[0].destinations: must not be empty"]],
    ["missing rule destinations", withRule({ name: "r" }), ["rules[0].destinations: is required"]],
    ["empty tags.any", rule({ tags: { any: [] } }), ["rules[0].tags.any: must not be empty"]],
    ["empty categories.all", rule({ categories: { all: [] } }), ["rules[0].categories.all: must not be empty"]],
    ["empty groups.none", rule({ groups: { none: [] } }), ["rules[0].groups.none: must not be empty"]],
    ["condition with no parts", rule({ groups: {} }), ["rules[0].groups: must have at least one of any, all, none"]],
    ["condition not a table", rule({ tags: [TAG.vip] }), ["rules[0].tags: must be an object (a TOML table)"]],
    ["template title not a string", rule({ template: { title: 1 } }), ["rules[0].template.title: must be a string"]],
    [
      "unknown destination in a rule",
      rule({ destinations: ["ops", "nope"] }),
      ['rules[0].destinations[1]: unknown destination "nope"'],
    ],
    [
      "unknown destination in fallback",
      { ...base(), fallback: ["ops", "x"] },
      ['fallback[1]: unknown destination "x"'],
    ],
    ["fallback not a list", { ...base(), fallback: "ops" }, ["fallback: must be a list"]],
    [
      "secret not set",
      withDestination("x", slack({ webhook_url_secret: "SLACK_X_URL" })),
      ['destinations.x.webhook_url_secret: secret "SLACK_X_URL" is not set (wrangler secret put SLACK_X_URL)'],
    ],
    [
      "invalid secret name",
      withDestination("x", slack({ webhook_url_secret: "slack-url" })),
      [
        'destinations.x.webhook_url_secret: invalid secret name "slack-url" (use letters, digits and "_", not starting with a digit)',
      ],
    ],
    [
      "secret name starting with a digit",
      withDestination("x", slack({ webhook_url_secret: "1URL" })),
      [
        'destinations.x.webhook_url_secret: invalid secret name "1URL" (use letters, digits and "_", not starting with a digit)',
      ],
    ],
    [
      "secret field not a string",
      withDestination("x", slack({ webhook_url_secret: 1 })),
      ["destinations.x.webhook_url_secret: must be a string"],
    ],
    [
      "missing secret field",
      withDestination("x", { type: "slack" }),
      ["destinations.x.webhook_url_secret: is required"],
    ],
    [
      "invalid destination name",
      withDestination("vip slack", slack()),
      ['destinations: invalid destination name "vip slack" (use at most 128 letters, digits, "-" and "_")'],
    ],
    [
      "unknown destination type",
      withDestination("x", slack({ type: "foo" })),
      [
        'destinations.x.type: unknown destination type "foo" (expected one of: slack, webhook, discord, teams, google-chat, email)',
      ],
    ],
    [
      "missing destination type",
      withDestination("x", { webhook_url_secret: "OPS_URL" }),
      ["destinations.x.type: is required (expected one of: slack, webhook, discord, teams, google-chat, email)"],
    ],
    ["destination not a table", withDestination("x", "slack"), ["destinations.x: must be an object (a TOML table)"]],
    [
      "include_contact not a boolean",
      withDestination("x", slack({ include_contact: "no" })),
      ["destinations.x.include_contact: must be a boolean"],
    ],
    [
      "reserved destination name",
      JSON.stringify(withDestination("__proto__", slack())),
      ['destinations: "__proto__" is a reserved name'],
    ],
    [
      "reserved destination name constructor",
      withDestination("constructor", slack()),
      ['destinations: "constructor" is a reserved name'],
    ],
    [
      "negative backoff",
      withDelivery({ backoff_seconds: -1 }),
      ["delivery.backoff_seconds: must be a non-negative number"],
    ],
    [
      "backoff as a string",
      withDelivery({ backoff_seconds: "30" }),
      ["delivery.backoff_seconds: must be a non-negative number"],
    ],
    [
      "infinite backoff",
      withDelivery({ backoff_seconds: Infinity }),
      ["delivery.backoff_seconds: must be a non-negative number"],
    ],
    [
      "NaN backoff",
      withDelivery({ backoff_seconds: Number.NaN }),
      ["delivery.backoff_seconds: must be a non-negative number"],
    ],
    [
      "max_backoff_seconds above the queue limit",
      withDelivery({ max_backoff_seconds: 43201 }),
      ["delivery.max_backoff_seconds: must be at most 43200 (the queue's longest delay)"],
    ],
    [
      "negative max_backoff_seconds",
      withDelivery({ max_backoff_seconds: -5 }),
      ["delivery.max_backoff_seconds: must be a non-negative number"],
    ],
    [
      "max_attempts 0",
      withDelivery({ max_attempts: 0 }),
      ["delivery.max_attempts: must be a whole number from 1 to 50"],
    ],
    [
      "max_attempts 51",
      withDelivery({ max_attempts: 51 }),
      ["delivery.max_attempts: must be a whole number from 1 to 50"],
    ],
    [
      "max_attempts 2.5",
      withDelivery({ max_attempts: 2.5 }),
      ["delivery.max_attempts: must be a whole number from 1 to 50"],
    ],
    [
      "timeout 0",
      withDelivery({ timeout_seconds: 0 }),
      ["delivery.timeout_seconds: must be a number above 0 and at most 60"],
    ],
    [
      "timeout 61",
      withDelivery({ timeout_seconds: 61 }),
      ["delivery.timeout_seconds: must be a number above 0 and at most 60"],
    ],
    ["delivery not a table", { ...base(), delivery: 5 }, ["delivery: must be an object (a TOML table)"]],
    [
      "dedup_ttl_seconds below 60",
      { ...base(), dedup_ttl_seconds: 59 },
      ["dedup_ttl_seconds: must be a whole number of seconds, from 60 to 2592000 (30 days)"],
    ],
    [
      "dedup_ttl_seconds over 30 days",
      { ...base(), dedup_ttl_seconds: 2_592_001 },
      ["dedup_ttl_seconds: must be a whole number of seconds, from 60 to 2592000 (30 days)"],
    ],
    [
      "a destination name over 128 characters",
      withDestination("d".repeat(129), slack()),
      [`destinations: invalid destination name "${"d".repeat(129)}" (use at most 128 letters, digits, "-" and "_")`],
    ],
    [
      "a URL pasted where a secret's name belongs: said without echoing it",
      withDestination("ops", slack({ webhook_url_secret: "https://hooks.slack.com/services/T/B/x" })),
      ["destinations.ops.webhook_url_secret: must be the NAME of a secret, not its value (wrangler secret put NAME)"],
    ],
    [
      "dedup_ttl_seconds fractional",
      { ...base(), dedup_ttl_seconds: 60.5 },
      ["dedup_ttl_seconds: must be a whole number of seconds, from 60 to 2592000 (30 days)"],
    ],
  ])("%s", (_, input, expected) => {
    expect(validateRouting(input, secrets)).toEqual({ ok: false, error: expected });
  });
});

describe("validateRouting", () => {
  it("reports every problem at once", () => {
    const input = {
      ...base(),
      delivery: { backoff_seconds: -1 },
      destinations: { ops: slack({ webhook_url_secret: "MISSING" }) },
      rules: [{ name: "r", destinations: ["gone"] }],
    };
    expect(validateRouting(input, secrets)).toEqual({
      ok: false,
      error: [
        "delivery.backoff_seconds: must be a non-negative number",
        'destinations.ops.webhook_url_secret: secret "MISSING" is not set (wrangler secret put MISSING)',
        'rules[0].destinations[0]: unknown destination "gone"',
      ],
    });
  });

  it("applies defaults and freezes the result deeply", () => {
    const result = validateRouting(base(), secrets);
    expect(result).toEqual({
      ok: true,
      value: {
        dedup_ttl_seconds: 86400,
        fallback: ["ops"],
        delivery: { max_attempts: 12, backoff_seconds: 30, max_backoff_seconds: 3600, timeout_seconds: 10 },
        destinations: {
          ops: { type: "slack", webhook_url_secret: "OPS_URL", include_contact: false },
          "vip-slack": { type: "slack", webhook_url_secret: "VIP_URL", include_contact: true },
        },
        rules: [{ name: "vip", tags: { any: [TAG.vip] }, destinations: ["vip-slack"], stop: false, urgent: false }],
        timers: [],
        digests: [],
      },
    });
    if (!result.ok) return;
    const c = result.value;
    for (const part of [
      c,
      c.fallback,
      c.delivery,
      c.destinations,
      c.destinations.ops,
      c.rules,
      c.rules[0],
      c.rules[0]?.tags?.any,
    ]) {
      expect(Object.isFrozen(part)).toBe(true);
    }
  });

  it("defaults fallback, delivery and rules when omitted", () => {
    const result = validateRouting({ destinations: {} }, secrets);
    expect(result.ok && result.value).toMatchObject({ fallback: [], rules: [], delivery: { max_attempts: 12 } });
  });

  it("keeps every optional field it is given", () => {
    const input = {
      dedup_ttl_seconds: 60,
      fallback: [],
      delivery: { max_attempts: 1, backoff_seconds: 0, max_backoff_seconds: 43200, timeout_seconds: 0.5 },
      destinations: {
        ops: slack({
          include_contact: true,
          template: { title: "T" },
          session_url: "https://gitple.io/s/{session.id}",
        }),
      },
      rules: [
        {
          name: "all",
          events: ["x"],
          tags: { any: ["a"], all: ["b"], none: ["c"] },
          categories: { all: ["d"] },
          groups: { none: ["e"] },
          app_codes: ["APP"],
          destinations: ["ops"],
          stop: true,
          urgent: true,
          template: { title: "t", text: "x" },
        },
      ],
      timezone: "Asia/Seoul",
      timers: [
        {
          name: "late",
          start: "session_state_open",
          stop: ["session_state_close"],
          after: "90s",
          repeat: "10m",
          destinations: ["ops"],
          tags: { any: ["a"] },
          categories: { none: ["b"] },
          groups: { all: ["c"] },
          app_codes: ["APP"],
          urgent: true,
        },
      ],
      digests: [
        {
          name: "daily",
          at: "09:00",
          days: ["mon", "fri"],
          covers: "7d",
          destinations: ["ops"],
          tags: { any: ["a"] },
          categories: { none: ["b"] },
          groups: { all: ["c"] },
          app_codes: ["APP"],
        },
      ],
    };
    expect(validateRouting(input, secrets)).toEqual({ ok: true, value: input });
  });

  it("accepts a JSON string (wrangler dev --var, the dashboard) like the object", () => {
    expect(validateRouting(JSON.stringify(base()), secrets)).toEqual(validateRouting(base(), secrets));
  });

  it("rejects a string that is not JSON, saying so", () => {
    const result = validateRouting("{ fallback = [] }", secrets);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toEqual([expect.stringMatching(/^ROUTING: is not valid JSON \(.+\)$/)]);
  });

  it("counts a secret as set only when the lookup returns it", () => {
    const result = validateRouting(base(), (name) => (name === "OPS_URL" ? "https://x" : undefined));
    expect(result).toEqual({
      ok: false,
      error: ['destinations.vip-slack.webhook_url_secret: secret "VIP_URL" is not set (wrangler secret put VIP_URL)'],
    });
  });
});
