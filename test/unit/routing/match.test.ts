import { describe, expect, it } from "vitest";
import { type EventView, viewEvent } from "../../../src/event/view.ts";
import { validateRouting } from "../../../src/routing/load.ts";
import { route } from "../../../src/routing/match.ts";
import type { RoutingConfig } from "../../../src/routing/types.ts";
import { CATEGORY, GROUP, TAG, USER_TAG } from "../../support/ids.ts";

type RuleInput = Record<string, unknown> & { name: string };

// Events carry Gitple ids (test/support/ids.ts), and without [vars.ROUTING.gitple] a rule names
// them as they come (routing by name: by-name.test.ts). The verdict tests below keep one-letter
// values: they are about which condition fails first, not about what a tag looks like.
const { vip: VIP, test: TEST, refundRequest: REFUND_REQUEST, delay: DELAY } = TAG;
const { payment: PAYMENT, refund: REFUND, other: SPAM } = CATEGORY;
const { business: BUSINESS, premium: PREMIUM } = GROUP;
const { returning: RETURNING, complained: COMPLAINED } = USER_TAG;

/** A validated config whose destinations are a, b, c and the fallback fb. */
function config(rules: RuleInput[], fallback: string[] = ["fb"]): RoutingConfig {
  const destinations = Object.fromEntries(
    ["a", "b", "c", "fb"].map((name) => [name, { type: "slack", webhook_url_secret: "URL" }]),
  );
  const result = validateRouting({ destinations, fallback, rules }, () => "https://hooks.slack.com/x");
  if (!result.ok) throw new Error(result.error.join("\n"));
  return result.value;
}

const r = (name: string, extra: Record<string, unknown>, destinations = ["a"]): RuleInput => ({
  name,
  destinations,
  ...extra,
});

/** A session event as Gitple sends it (through the same view the relay builds). */
function session(lists: { tags?: unknown; categories?: unknown; userGroups?: unknown }, type = "session_state_close") {
  return viewEvent({ type, triggerId: "t1", appCode: "APP", session: { id: "s1", ...lists } });
}

/** A send_external_message event: facets come from `to`. */
function message(to: { tags?: unknown; groups?: unknown }) {
  return viewEvent({
    type: "send_external_message",
    triggerId: "t2",
    appCode: "APP",
    from: { tags: ["from-tag"] },
    to,
  });
}

const names = (rules: RuleInput[], event: EventView) => route(config(rules), event).destinations.map((d) => d.name);

describe("route: destinations", () => {
  it.each<[string, RuleInput[], EventView, string[]]>([
    ["tags.any hit", [r("x", { tags: { any: [VIP, REFUND_REQUEST] } })], session({ tags: [REFUND_REQUEST] }), ["a"]],
    ["tags.any miss → fallback", [r("x", { tags: { any: [VIP] } })], session({ tags: [DELAY] }), ["fb"]],
    ["tags.all hit", [r("x", { tags: { all: [VIP, TAG.two] } })], session({ tags: [TAG.two, DELAY, VIP] }), ["a"]],
    ["tags.all partial", [r("x", { tags: { all: [VIP, TAG.two] } })], session({ tags: [VIP] }), ["fb"]],
    ["tags.none absent", [r("x", { tags: { none: [TEST] } })], session({ tags: [VIP] }), ["a"]],
    ["tags.none present", [r("x", { tags: { none: [TEST] } })], session({ tags: [VIP, TEST] }), ["fb"]],
    ["tags.none with no tags", [r("x", { tags: { none: [TEST] } })], session({}), ["a"]],
    ["any+none both hold", [r("x", { tags: { any: [VIP], none: [TEST] } })], session({ tags: [VIP] }), ["a"]],
    ["any+none: none fails", [r("x", { tags: { any: [VIP], none: [TEST] } })], session({ tags: [VIP, TEST] }), ["fb"]],
    ["case-sensitive", [r("x", { tags: { any: [VIP] } })], session({ tags: [VIP.toUpperCase()] }), ["fb"]],
    ["categories.any", [r("x", { categories: { any: [PAYMENT] } })], session({ categories: [PAYMENT] }), ["a"]],
    ["categories.all", [r("x", { categories: { all: [PAYMENT, REFUND] } })], session({ categories: [REFUND] }), ["fb"]],
    ["categories.none", [r("x", { categories: { none: [SPAM] } })], session({ categories: [PAYMENT] }), ["a"]],
    [
      "groups.any uses userGroups",
      [r("x", { groups: { any: [BUSINESS] } })],
      session({ userGroups: [BUSINESS] }),
      ["a"],
    ],
    [
      "groups.all",
      [r("x", { groups: { all: [BUSINESS, PREMIUM] } })],
      session({ userGroups: [BUSINESS, PREMIUM] }),
      ["a"],
    ],
    ["groups.none", [r("x", { groups: { none: [BUSINESS] } })], session({ userGroups: [BUSINESS] }), ["fb"]],
    ["groups do not read tags", [r("x", { groups: { any: [BUSINESS] } })], session({ tags: [BUSINESS] }), ["fb"]],
    ["events hit", [r("x", { events: ["session_state_open", "session_state_close"] })], session({}), ["a"]],
    ["events miss", [r("x", { events: ["session_state_open"] })], session({}), ["fb"]],
    ["app_codes hit", [r("x", { app_codes: ["OTHER", "APP"] })], session({}), ["a"]],
    ["app_codes miss", [r("x", { app_codes: ["OTHER"] })], session({}), ["fb"]],
    [
      "app_codes, event without appCode",
      [r("x", { app_codes: ["APP"] })],
      viewEvent({ type: "session_state_close", triggerId: "t" }),
      ["fb"],
    ],
    [
      "every condition holds",
      [
        r("x", {
          events: ["session_state_close"],
          app_codes: ["APP"],
          tags: { any: [VIP] },
          categories: { none: [SPAM] },
          groups: { all: [BUSINESS] },
        }),
      ],
      session({ tags: [VIP], userGroups: [BUSINESS] }),
      ["a"],
    ],
    ["no conditions: matches everything", [r("x", {})], message({}), ["a"]],
    [
      "union in rule order, each name once",
      [r("one", {}, ["b", "a"]), r("two", {}, ["c", "a", "b"]), r("three", {}, ["c"])],
      session({}),
      ["b", "a", "c"],
    ],
    ["a rule naming a destination twice", [r("x", {}, ["a", "a"])], session({}), ["a"]],
    ["stop ends evaluation", [r("one", { stop: true }, ["a"]), r("two", {}, ["b"])], session({}), ["a"]],
    [
      "stop on an unmatched rule does nothing",
      [r("one", { stop: true, tags: { any: [VIP] } }, ["a"]), r("two", {}, ["b"])],
      session({}),
      ["b"],
    ],
    [
      "stop after earlier matches keeps them",
      [r("one", {}, ["a"]), r("two", { stop: true }, ["b"]), r("three", {}, ["c"])],
      session({}),
      ["a", "b"],
    ],
    ["no rules → fallback", [], session({}), ["fb"]],
    ["message: to.tags", [r("x", { tags: { any: [RETURNING] } })], message({ tags: [RETURNING] }), ["a"]],
    ["message: to.groups", [r("x", { groups: { any: [BUSINESS] } })], message({ groups: [BUSINESS] }), ["a"]],
    ["message: from is ignored", [r("x", { tags: { any: [COMPLAINED] } })], message({}), ["fb"]],
    [
      "message: categories.any never matches",
      [r("x", { categories: { any: [PAYMENT] } })],
      message({ tags: [PAYMENT] }),
      ["fb"],
    ],
    ["message: categories.none never matches", [r("x", { categories: { none: [SPAM] } })], message({}), ["fb"]],
    [
      "unknown event type with a session",
      [r("x", { categories: { any: [PAYMENT] } })],
      session({ categories: [PAYMENT] }, "session_state_new_kind"),
      ["a"],
    ],
    [
      "unknown event type without session or to",
      [r("x", { tags: { none: [VIP] } })],
      viewEvent({ type: "future_event", triggerId: "t" }),
      ["a"],
    ],
    ["lone string tag", [r("x", { tags: { any: [VIP] } })], session({ tags: VIP }), ["a"]],
    [
      "numeric tags compare as strings",
      [r("x", { tags: { any: ["3"] } })],
      session({ tags: [3, null, { x: 1 }] }),
      ["a"],
    ],
    ["tags not a list", [r("x", { tags: { any: [VIP] } })], session({ tags: { [VIP]: true } }), ["fb"]],
    [
      "a session event without a session: its lists are empty, so none holds",
      [r("x", { categories: { none: [SPAM] }, tags: { none: [TEST] } })],
      viewEvent({ type: "session_state_close", triggerId: "t3" }),
      ["a"],
    ],
    [
      "send_external_message reads to.tags even if it carries a session",
      [r("x", { tags: { any: [RETURNING] } })],
      viewEvent({
        type: "send_external_message",
        triggerId: "t4",
        session: { tags: [DELAY] },
        to: { tags: [RETURNING] },
      }),
      ["a"],
    ],
    [
      "send_external_message has no categories even if it carries a session",
      [r("x", { categories: { any: [PAYMENT] } })],
      viewEvent({ type: "send_external_message", triggerId: "t5", session: { categories: [PAYMENT] } }),
      ["fb"],
    ],
    [
      "an unknown type with a session reads the session",
      [r("x", { categories: { any: [PAYMENT] } })],
      viewEvent({ type: "session_state_future", triggerId: "t6", session: { categories: [PAYMENT] } }),
      ["a"],
    ],
    [
      "an unknown type without a session reads its recipient, without categories",
      [r("x", { tags: { any: [RETURNING] } }), r("y", { categories: { none: [SPAM] } }, ["b"])],
      viewEvent({ type: "message_future", triggerId: "t7", to: { tags: [RETURNING] } }),
      ["a"],
    ],
  ])("%s", (_, rules, event, expected) => {
    expect(names(rules, event)).toEqual(expected);
  });

  it("treats missing lists on a hand-built view as empty", () => {
    const event = { type: "session_state_close", triggerId: "t", session: {} } as unknown as EventView;
    expect(
      names([r("x", { tags: { none: [VIP] }, groups: { none: [BUSINESS] }, categories: { none: [SPAM] } })], event),
    ).toEqual(["a"]);
    expect(names([r("x", { tags: { any: [VIP] } })], event)).toEqual(["fb"]);
  });
});

describe("route: verdicts", () => {
  it.each<[string, RuleInput, EventView, string]>([
    ["events first", r("x", { events: ["nope"], tags: { any: ["nope"] } }), session({}), "events"],
    ["app_codes before facets", r("x", { app_codes: ["NOPE"], tags: { any: ["nope"] } }), session({}), "app_codes"],
    ["tags.any", r("x", { tags: { any: [VIP] } }), session({}), "tags.any"],
    ["tags.all", r("x", { tags: { any: ["a"], all: ["a", "b"] } }), session({ tags: ["a"] }), "tags.all"],
    ["tags.none", r("x", { tags: { none: ["a"] } }), session({ tags: ["a"] }), "tags.none"],
    ["tags before categories", r("x", { tags: { any: ["t"] }, categories: { any: ["c"] } }), session({}), "tags.any"],
    ["categories.any", r("x", { categories: { any: ["c"] } }), session({}), "categories.any"],
    ["categories.all", r("x", { categories: { all: ["c"] } }), session({}), "categories.all"],
    ["categories.none", r("x", { categories: { none: ["c"] } }), session({ categories: ["c"] }), "categories.none"],
    [
      "categories on a message",
      r("x", { categories: { none: ["c"] } }),
      message({}),
      "categories (event has no categories)",
    ],
    ["groups.any", r("x", { groups: { any: ["g"] } }), session({}), "groups.any"],
    ["groups.all", r("x", { groups: { all: ["g"] } }), message({ groups: ["h"] }), "groups.all"],
    ["groups.none", r("x", { groups: { none: ["g"] } }), session({ userGroups: ["g"] }), "groups.none"],
  ])("%s", (_, rule, event, failed) => {
    expect(route(config([rule]), event).rules).toEqual([{ name: "x", matched: false, failed }]);
  });

  it("lists, for each destination, the matched rules that sent the event there", () => {
    const rules = [r("one", {}, ["b", "a"]), r("miss", { events: ["nope"] }, ["c"]), r("two", {}, ["a", "c"])];
    expect(route(config(rules), session({}))).toEqual({
      destinations: [
        { name: "b", rules: ["one"] },
        { name: "a", rules: ["one", "two"] },
        { name: "c", rules: ["two"] },
      ],
      rules: [
        { name: "one", matched: true },
        { name: "miss", matched: false, failed: "events" },
        { name: "two", matched: true },
      ],
      fallback: false,
    });
  });

  it("marks the rules after a matched stop rule as not evaluated", () => {
    const rules = [r("miss", { tags: { any: ["x"] } }), r("vip", { stop: true }), r("later", {}), r("last", {})];
    expect(route(config(rules), session({}))).toEqual({
      destinations: [{ name: "a", rules: ["vip"] }],
      rules: [
        { name: "miss", matched: false, failed: "tags.any" },
        { name: "vip", matched: true },
        { name: "later", matched: false, failed: 'not evaluated (stopped by "vip")' },
        { name: "last", matched: false, failed: 'not evaluated (stopped by "vip")' },
      ],
      fallback: false,
    });
  });

  it("sends to the fallback, with no rules, when nothing matched", () => {
    expect(route(config([r("x", { events: ["nope"] })], ["fb", "a"]), session({}))).toEqual({
      destinations: [
        { name: "fb", rules: [] },
        { name: "a", rules: [] },
      ],
      rules: [{ name: "x", matched: false, failed: "events" }],
      fallback: true,
    });
  });

  it("returns no destinations when nothing matched and there is no fallback", () => {
    expect(route(config([r("x", { events: ["nope"] })], []), session({}))).toEqual({
      destinations: [],
      rules: [{ name: "x", matched: false, failed: "events" }],
      fallback: true,
    });
  });

  it("routes against 1,000 rules, reusing the compiled rules across calls", () => {
    const rules = Array.from({ length: 1000 }, (_, i) =>
      r(`rule ${i}`, { tags: { any: [`t${i}`, `u${i}`], none: [TEST] }, categories: { all: [`c${i % 7}`] } }, [
        i % 2 ? "a" : "b",
      ]),
    );
    const routing = config(rules);
    for (const i of [0, 499, 999]) {
      const decision = route(routing, session({ tags: [`u${i}`], categories: [`c${i % 7}`] }));
      expect(decision.destinations).toEqual([{ name: i % 2 ? "a" : "b", rules: [`rule ${i}`] }]);
      expect(decision.rules.filter((v) => v.matched)).toEqual([{ name: `rule ${i}`, matched: true }]);
    }
  });
});
