// Rules by name (issue 10): tags/categories/groups match an id or its name, categories match
// descendants, the meta condition, which names routing needs, when it defers, what travels.
import { describe, expect, it } from "vitest";
import { DEMO_IDS as I } from "../../../scripts/lib/gitple-demo-data.ts";
import { viewEvent } from "../../../src/event/view.ts";
import type { Resolution } from "../../../src/gitple/resolve.ts";
import { validateRouting } from "../../../src/routing/load.ts";
import { route } from "../../../src/routing/match.ts";
import { compactNames, MAX_NAMES_BYTES, mustDefer, needsNames } from "../../../src/routing/names.ts";
import type { RoutingConfig } from "../../../src/routing/types.ts";

function config(rules: Record<string, unknown>[], extra: Record<string, unknown> = {}): RoutingConfig {
  const destinations = Object.fromEntries(
    ["a", "b", "fb"].map((n) => [n, { type: "slack", webhook_url_secret: "URL" }]),
  );
  const result = validateRouting(
    { destinations, fallback: ["fb"], rules, ...extra },
    () => "https://hooks.slack.com/x",
  );
  if (!result.ok) throw new Error(result.error.join("\n"));
  return result.value;
}
const rule = (name: string, extra: Record<string, unknown>) => ({ name, destinations: ["a"], ...extra });

/** What the demo workspace resolves to (the stand-in's data), built by hand. */
function resolution(): Resolution {
  return {
    names: {
      sessionTags: { [I.sessionTags.vip]: { name: "VIP" }, [I.sessionTags.delay]: { name: "배송지연" } },
      categories: {
        [I.categories.delivery]: { name: "배송" },
        [I.categories.lost]: { name: "분실", parent: I.categories.delivery },
        [I.categories.parcelLost]: { name: "택배 분실", parent: I.categories.lost },
      },
      userGroups: { [I.userGroups.premium]: { name: "프리미엄 회원" } },
      userTags: { [I.userTags.returning]: { name: "재구매 고객" } },
      agents: {},
      users: {
        [I.users.park]: { name: "박지훈", meta: { plan: "gold", region: "서울" }, groups: [], tags: [] },
      },
    },
    categoryPaths: {
      [I.categories.parcelLost]: [
        { id: I.categories.delivery, name: "배송" },
        { id: I.categories.lost, name: "분실" },
        { id: I.categories.parcelLost, name: "택배 분실" },
      ],
    },
    unknown: [],
    pending: [],
    unavailable: false,
    unauthorized: null,
    calls: 3,
  };
}

const closeEvent = (session: Record<string, unknown> = {}) =>
  viewEvent({
    type: "session_state_close",
    triggerId: "t1",
    appCode: "demo-app",
    session: {
      userId: I.users.park,
      tags: [I.sessionTags.vip],
      categories: [I.categories.parcelLost],
      userGroups: [I.userGroups.premium],
      ...session,
    },
  });
const messageEvent = (to: Record<string, unknown>) =>
  viewEvent({ type: "send_external_message", triggerId: "t2", appCode: "demo-app", to });

const destinationsOf = (c: RoutingConfig, view: ReturnType<typeof viewEvent>, names?: Resolution) =>
  route(c, view, names).destinations.map((d) => d.name);

describe("rules by name", () => {
  it("a tags value matches the name an id resolves to, and still the id itself", () => {
    const c = config([
      rule("by name", { tags: { any: ["VIP"] } }),
      rule("by id", { tags: { any: [I.sessionTags.vip] } }),
    ]);
    expect(route(c, closeEvent(), resolution()).rules).toEqual([
      { name: "by name", matched: true },
      { name: "by id", matched: true },
    ]);
    // Without names only the id rule matches: existing id-based rules keep working without the Open API.
    expect(route(c, closeEvent()).rules).toEqual([
      { name: "by name", matched: false, failed: "tags.any" },
      { name: "by id", matched: true },
    ]);
  });

  it("all and none see names too", () => {
    const c = config([rule("all", { tags: { all: ["VIP", "배송지연"] } }), rule("none", { tags: { none: ["VIP"] } })]);
    const view = closeEvent({ tags: [I.sessionTags.vip, I.sessionTags.delay] });
    expect(route(c, view, resolution()).rules).toEqual([
      { name: "all", matched: true },
      { name: "none", matched: false, failed: "tags.none" },
    ]);
  });

  it("a category three levels deep is matched by its root, its parent and itself, by name or id", () => {
    for (const value of ["배송", "분실", "택배 분실", I.categories.delivery, I.categories.lost]) {
      const c = config([rule("cat", { categories: { any: [value] } })]);
      expect(destinationsOf(c, closeEvent(), resolution()), value).toEqual(["a"]);
    }
    const other = config([rule("cat", { categories: { any: ["결제"] } })]);
    expect(destinationsOf(other, closeEvent(), resolution())).toEqual(["fb"]);
    // Without the lineage a parent's id does not match a child.
    const byRoot = config([rule("cat", { categories: { any: [I.categories.delivery] } })]);
    expect(destinationsOf(byRoot, closeEvent())).toEqual(["fb"]);
  });

  it("groups match user group names; a message's tags are user tags", () => {
    const c = config([
      rule("group", { groups: { any: ["프리미엄 회원"] } }),
      rule("user tag", { events: ["send_external_message"], tags: { any: ["재구매 고객"] } }),
    ]);
    expect(destinationsOf(c, closeEvent(), resolution())).toEqual(["a"]);
    const msg = messageEvent({ tags: [I.userTags.returning], groups: [] });
    expect(route(c, msg, resolution()).rules[1]).toEqual({ name: "user tag", matched: true });
    // A session tag's name does not leak into a message's user tags.
    const vipOnMessage = config([rule("vip", { tags: { any: ["VIP"] } })]);
    expect(destinationsOf(vipOnMessage, messageEvent({ tags: [I.sessionTags.vip] }), resolution())).toEqual(["fb"]);
  });
});

describe("the meta condition", () => {
  const c = config([rule("gold", { meta: { plan: ["gold", "platinum"], region: ["서울"] } })]);

  it("a session event reads the user's meta from /exports/users/:id: all keys, any value per key", () => {
    expect(destinationsOf(c, closeEvent(), resolution())).toEqual(["a"]);
    const silver = resolution();
    (silver.names.users[I.users.park] as { meta: Record<string, string> }).meta = { plan: "silver", region: "서울" };
    expect(route(c, closeEvent(), silver).rules[0]).toEqual({ name: "gold", matched: false, failed: "meta.plan" });
  });

  it("without the user resolved the condition does not hold (and says why)", () => {
    expect(route(c, closeEvent()).rules[0]).toEqual({
      name: "gold",
      matched: false,
      failed: "meta (the customer's meta is not known)",
    });
  });

  it("send_external_message reads to.meta; values compare as strings", () => {
    const numeric = config([rule("tier", { meta: { tier: [3], vip: [true] } })]);
    expect(destinationsOf(numeric, messageEvent({ meta: { tier: 3, vip: "true" } }))).toEqual(["a"]);
    expect(route(numeric, messageEvent({ meta: { tier: "4", vip: true } })).rules[0]?.failed).toBe("meta.tier");
    expect(route(numeric, messageEvent({ meta: { vip: true } })).rules[0]?.failed).toBe("meta.tier");
    // A key on the prototype is not a meta key.
    const proto = config([rule("proto", { meta: { toString: ["x"] } })]);
    expect(route(proto, messageEvent({ meta: {} })).rules[0]?.failed).toBe("meta.toString");
  });
});

describe("config", () => {
  const bad = (extra: Record<string, unknown>) => {
    const destinations = { a: { type: "slack", webhook_url_secret: "URL" } };
    const r = validateRouting({ destinations, ...extra }, () => "https://hooks.slack.com/x");
    return r.ok ? [] : r.error;
  };

  it("[vars.ROUTING.gitple]: defaults, and every bad value with its path", () => {
    expect(config([], { gitple: { api_secret: "GITPLE_API_SECRET" } }).gitple).toEqual({
      api_secret: "GITPLE_API_SECRET",
      api_url: "https://api.gitple.io/v1",
      cache_ttl_seconds: 86400,
      timeout_seconds: 3,
    });
    expect(bad({ gitple: { api_secret: "GITPLE_API_SECRET", timeout_seconds: 11 } })).toEqual([
      "gitple.timeout_seconds: must be a whole number from 1 to 10",
    ]);
    expect(bad({ gitple: { api_secret: "GITPLE_API_SECRET", cache_ttl_seconds: 30 } })).toEqual([
      "gitple.cache_ttl_seconds: must be a whole number from 60 to 604800",
    ]);
    expect(bad({ gitple: { api_secret: "sk-live/abc" } })[0]).toMatch(
      /^gitple\.api_secret: must be the name of a secret/,
    );
    expect(bad({ gitple: { api_secret: "GITPLE_API_SECRET", api_url: "ftp://x" } })[0]).toMatch(/^gitple\.api_url: /);
    expect(bad({ gitple: {} })[0]).toMatch(/^gitple\.api_secret: is required/);
    expect(bad({ gitple: { api_secret: "S", typo: 1 } })[0]).toMatch(/^gitple(\.typo)?: unknown key/);
    expect(bad({ gitple: [] })).toEqual(["gitple: must be an object (a TOML table)"]);
  });

  it("meta: a table of non-empty lists of strings, numbers or booleans", () => {
    const at = (meta: unknown) => bad({ rules: [{ name: "r", destinations: ["a"], meta }] });
    expect(at({})).toEqual(["rules[0].meta: must name at least one key"]);
    expect(at({ plan: [] })).toEqual(["rules[0].meta.plan: must not be empty"]);
    expect(at({ plan: "gold" })).toEqual(["rules[0].meta.plan: must be a list of values"]);
    expect(at({ plan: [{}] })).toEqual(["rules[0].meta.plan[0]: must be a string, number or boolean"]);
    expect(at(["plan"])).toEqual(["rules[0].meta: must be an object (a TOML table)"]);
    expect(config([rule("r", { meta: { n: [1, true] } })]).rules[0]?.meta).toEqual({ n: ["1", "true"] });
  });
});

describe("which names routing needs", () => {
  const view = closeEvent();
  it("only for rules that could match this event, with a condition that could need a name", () => {
    expect([...needsNames(config([rule("ids", { tags: { any: [I.sessionTags.vip] } })]), view)]).toEqual([]);
    expect([...needsNames(config([rule("name", { tags: { any: ["VIP"] } })]), view)]).toEqual(["sessionTags"]);
    expect([...needsNames(config([rule("cat", { categories: { any: [I.categories.delivery] } })]), view)]).toEqual([
      "categories",
    ]);
    expect([...needsNames(config([rule("meta", { meta: { plan: ["gold"] } })]), view)]).toEqual(["users"]);
    expect([
      ...needsNames(config([rule("msg", { events: ["send_external_message"], tags: { any: ["VIP"] } })]), view),
    ]).toEqual([]);
    expect([...needsNames(config([rule("app", { app_codes: ["other"], groups: { any: ["x"] } })]), view)]).toEqual([]);
    const msg = messageEvent({ tags: [] });
    expect([...needsNames(config([rule("t", { tags: { any: ["VIP"] }, meta: { a: ["b"] } })]), msg)]).toEqual([
      "userTags",
    ]);
  });

  it("defers only when Gitple was unavailable for a kind routing needs, never after a 401", () => {
    const res = { ...resolution(), unavailable: true, pending: [{ kind: "users" as const, id: I.users.park }] };
    expect(mustDefer(res, new Set(["users"]))).toBe(true);
    expect(mustDefer(res, new Set(["sessionTags"]))).toBe(false);
    expect(mustDefer({ ...res, unauthorized: "401" }, new Set(["users"]))).toBe(false);
    expect(mustDefer({ ...res, unavailable: false }, new Set(["users"]))).toBe(false);
  });
});

describe("names in the queue message", () => {
  it("drop the call count and unknown list; too large: users' meta, then everything", () => {
    const res = { ...resolution(), unknown: [{ kind: "sessionTags" as const, id: "x" }] };
    expect(compactNames(res)).toEqual({ ...resolution(), calls: 0 });
    const big = resolution();
    const park = big.names.users[I.users.park] as { meta: Record<string, string> };
    park.meta = Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`k${i}`, "x".repeat(200)]));
    const compact = compactNames(big);
    expect(compact?.names.users[I.users.park]?.meta).toEqual({});
    expect(compact?.names.sessionTags[I.sessionTags.vip]).toEqual({ name: "VIP" });
    expect(JSON.stringify(compact).length).toBeLessThanOrEqual(MAX_NAMES_BYTES);
    const huge = resolution();
    huge.names.sessionTags = Object.fromEntries(
      Array.from({ length: 2000 }, (_, i) => [`t${i}`, { name: "n".repeat(20) }]),
    );
    expect(compactNames(huge)).toBeUndefined();
  });
});
