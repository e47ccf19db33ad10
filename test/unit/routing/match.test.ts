import { describe, expect, it } from "vitest";
import { type EventView, viewEvent } from "../../../src/event/view.ts";
import { validateRouting } from "../../../src/routing/load.ts";
import { route } from "../../../src/routing/match.ts";
import type { RoutingConfig } from "../../../src/routing/types.ts";

type RuleInput = Record<string, unknown> & { name: string };

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
    ["tags.any hit", [r("x", { tags: { any: ["vip", "gold"] } })], session({ tags: ["gold"] }), ["a"]],
    ["tags.any miss → fallback", [r("x", { tags: { any: ["vip"] } })], session({ tags: ["basic"] }), ["fb"]],
    ["tags.all hit", [r("x", { tags: { all: ["vip", "kr"] } })], session({ tags: ["kr", "x", "vip"] }), ["a"]],
    ["tags.all partial", [r("x", { tags: { all: ["vip", "kr"] } })], session({ tags: ["vip"] }), ["fb"]],
    ["tags.none absent", [r("x", { tags: { none: ["test"] } })], session({ tags: ["vip"] }), ["a"]],
    ["tags.none present", [r("x", { tags: { none: ["test"] } })], session({ tags: ["vip", "test"] }), ["fb"]],
    ["tags.none with no tags", [r("x", { tags: { none: ["test"] } })], session({}), ["a"]],
    ["any+none both hold", [r("x", { tags: { any: ["vip"], none: ["test"] } })], session({ tags: ["vip"] }), ["a"]],
    [
      "any+none: none fails",
      [r("x", { tags: { any: ["vip"], none: ["test"] } })],
      session({ tags: ["vip", "test"] }),
      ["fb"],
    ],
    ["case-sensitive", [r("x", { tags: { any: ["vip"] } })], session({ tags: ["VIP"] }), ["fb"]],
    ["categories.any", [r("x", { categories: { any: ["billing"] } })], session({ categories: ["billing"] }), ["a"]],
    ["categories.all", [r("x", { categories: { all: ["a", "b"] } })], session({ categories: ["b"] }), ["fb"]],
    ["categories.none", [r("x", { categories: { none: ["spam"] } })], session({ categories: ["billing"] }), ["a"]],
    ["groups.any uses userGroups", [r("x", { groups: { any: ["ent"] } })], session({ userGroups: ["ent"] }), ["a"]],
    ["groups.all", [r("x", { groups: { all: ["ent", "kr"] } })], session({ userGroups: ["ent", "kr"] }), ["a"]],
    ["groups.none", [r("x", { groups: { none: ["ent"] } })], session({ userGroups: ["ent"] }), ["fb"]],
    ["groups do not read tags", [r("x", { groups: { any: ["ent"] } })], session({ tags: ["ent"] }), ["fb"]],
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
          tags: { any: ["vip"] },
          categories: { none: ["spam"] },
          groups: { all: ["ent"] },
        }),
      ],
      session({ tags: ["vip"], userGroups: ["ent"] }),
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
      [r("one", { stop: true, tags: { any: ["vip"] } }, ["a"]), r("two", {}, ["b"])],
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
    ["message: to.tags", [r("x", { tags: { any: ["vip"] } })], message({ tags: ["vip"] }), ["a"]],
    ["message: to.groups", [r("x", { groups: { any: ["ent"] } })], message({ groups: ["ent"] }), ["a"]],
    ["message: from is ignored", [r("x", { tags: { any: ["from-tag"] } })], message({}), ["fb"]],
    [
      "message: categories.any never matches",
      [r("x", { categories: { any: ["billing"] } })],
      message({ tags: ["billing"] }),
      ["fb"],
    ],
    ["message: categories.none never matches", [r("x", { categories: { none: ["spam"] } })], message({}), ["fb"]],
    [
      "unknown event type with a session",
      [r("x", { categories: { any: ["billing"] } })],
      session({ categories: ["billing"] }, "session_state_new_kind"),
      ["a"],
    ],
    [
      "unknown event type without session or to",
      [r("x", { tags: { none: ["vip"] } })],
      viewEvent({ type: "future_event", triggerId: "t" }),
      ["a"],
    ],
    ["lone string tag", [r("x", { tags: { any: ["vip"] } })], session({ tags: "vip" }), ["a"]],
    [
      "numeric tags compare as strings",
      [r("x", { tags: { any: ["3"] } })],
      session({ tags: [3, null, { x: 1 }] }),
      ["a"],
    ],
    ["tags not a list", [r("x", { tags: { any: ["vip"] } })], session({ tags: { vip: true } }), ["fb"]],
    [
      "a session event without a session: its lists are empty, so none holds",
      [r("x", { categories: { none: ["spam"] }, tags: { none: ["test"] } })],
      viewEvent({ type: "session_state_close", triggerId: "t3" }),
      ["a"],
    ],
    [
      "send_external_message reads to.tags even if it carries a session",
      [r("x", { tags: { any: ["vip"] } })],
      viewEvent({
        type: "send_external_message",
        triggerId: "t4",
        session: { tags: ["basic"] },
        to: { tags: ["vip"] },
      }),
      ["a"],
    ],
    [
      "send_external_message has no categories even if it carries a session",
      [r("x", { categories: { any: ["billing"] } })],
      viewEvent({ type: "send_external_message", triggerId: "t5", session: { categories: ["billing"] } }),
      ["fb"],
    ],
    [
      "an unknown type with a session reads the session",
      [r("x", { categories: { any: ["billing"] } })],
      viewEvent({ type: "session_state_future", triggerId: "t6", session: { categories: ["billing"] } }),
      ["a"],
    ],
    [
      "an unknown type without a session reads its recipient, without categories",
      [r("x", { tags: { any: ["vip"] } }), r("y", { categories: { none: ["c"] } }, ["b"])],
      viewEvent({ type: "message_future", triggerId: "t7", to: { tags: ["vip"] } }),
      ["a"],
    ],
  ])("%s", (_, rules, event, expected) => {
    expect(names(rules, event)).toEqual(expected);
  });

  it("treats missing lists on a hand-built view as empty", () => {
    const event = { type: "session_state_close", triggerId: "t", session: {} } as unknown as EventView;
    expect(
      names([r("x", { tags: { none: ["vip"] }, groups: { none: ["g"] }, categories: { none: ["c"] } })], event),
    ).toEqual(["a"]);
    expect(names([r("x", { tags: { any: ["vip"] } })], event)).toEqual(["fb"]);
  });
});

describe("route: verdicts", () => {
  it.each<[string, RuleInput, EventView, string]>([
    ["events first", r("x", { events: ["nope"], tags: { any: ["nope"] } }), session({}), "events"],
    ["app_codes before facets", r("x", { app_codes: ["NOPE"], tags: { any: ["nope"] } }), session({}), "app_codes"],
    ["tags.any", r("x", { tags: { any: ["vip"] } }), session({}), "tags.any"],
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
      r(`rule ${i}`, { tags: { any: [`t${i}`, `u${i}`], none: ["test"] }, categories: { all: [`c${i % 7}`] } }, [
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
