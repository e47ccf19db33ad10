import { describe, expect, it } from "vitest";
import { DEMO_IDS, demoExternalMessageEvent, demoSessionEvent } from "../../../scripts/lib/gitple-demo-data.ts";
import { parseRecord } from "../../../src/gitple/kinds.ts";
import { categoryLineage, categoryPathText, eventIds, nameOf } from "../../../src/gitple/names.ts";

const I = DEMO_IDS;

describe("eventIds", () => {
  it("a session event: tags, categories, user groups, the user, the agent assignee", () => {
    expect(
      eventIds({
        type: "session_state_close",
        appCode: "demo-app",
        session: {
          id: I.sessions.demo,
          userId: I.users.park,
          assigneeType: "agent",
          assigneeId: I.agents.kim,
          userGroups: [I.userGroups.premium],
          categories: [I.categories.parcelLost],
          tags: [I.sessionTags.vip, I.sessionTags.delay, I.sessionTags.vip],
        },
      }),
    ).toEqual({
      sessionTags: [I.sessionTags.vip, I.sessionTags.delay],
      categories: [I.categories.parcelLost],
      userGroups: [I.userGroups.premium],
      users: [I.users.park],
      agents: [I.agents.kim],
    });
  });

  it("a bot assignee is not an agent; send_external_message: from agent, to.tags and to.groups", () => {
    expect(eventIds({ session: { assigneeType: "bot", assigneeId: "b1" } })).toEqual({});
    expect(
      eventIds({
        type: "send_external_message",
        from: { type: "agent", id: I.agents.lee },
        to: { type: "user", id: I.users.choi, tags: [I.userTags.complained], groups: [I.userGroups.business] },
      }),
    ).toEqual({ agents: [I.agents.lee], userTags: [I.userTags.complained], userGroups: [I.userGroups.business] });
  });

  it("the demo events carry the demo ids", () => {
    expect(eventIds(demoSessionEvent("session_state_close", "t-1"))).toEqual({
      sessionTags: [I.sessionTags.vip, I.sessionTags.delay],
      categories: [I.categories.parcelLost],
      userGroups: [I.userGroups.premium],
      users: [I.users.park],
      agents: [I.agents.kim],
    });
    expect(eventIds(demoExternalMessageEvent("t-2"))).toEqual({
      agents: [I.agents.kim],
      userTags: [I.userTags.returning],
      userGroups: [I.userGroups.premium],
    });
  });

  it.each([null, "x", [], { session: "x" }, { session: { tags: "one", categories: [1, null, {}], userId: 5 } }])(
    "tolerates %j",
    (body) => {
      expect(() => eventIds(body)).not.toThrow();
    },
  );
});

describe("names shown", () => {
  it("without a resolution: the ids, as today", () => {
    expect(nameOf(undefined, "sessionTags", "t1")).toBe("t1");
    expect(categoryPathText(undefined, "c1")).toBe("c1");
    expect(categoryLineage(undefined, "c1")).toEqual([{ id: "c1", name: "c1" }]);
  });
});

describe("parseRecord", () => {
  it.each<[string, Parameters<typeof parseRecord>[0], unknown, unknown]>([
    ["a tag", "sessionTags", { id: "t", name: "VIP" }, { name: "VIP" }],
    ["no name", "sessionTags", { id: "t" }, null],
    ["a blank name", "userTags", { name: "  " }, null],
    ["an array", "userGroups", [{ name: "x" }], null],
    ["a root category", "categories", { id: "c", name: "배송", parent: null, root: "c" }, { name: "배송" }],
    ["a child category", "categories", { id: "c2", name: "분실", parent: "c" }, { name: "분실", parent: "c" }],
    ["its own parent", "categories", { id: "c", name: "x", parent: "c" }, { name: "x" }],
    ["a parent that is not a token", "categories", { id: "c", name: "x", parent: "../a" }, { name: "x" }],
    [
      "an agent",
      "agents",
      { name: "김민준", identifier: "kim", email: "k@example.com" },
      { name: "김민준", identifier: "kim" },
    ],
    [
      "a user with odd meta",
      "users",
      { name: "박지훈", meta: { plan: "gold", n: 3, ok: true, deep: { a: 1 } }, groups: ["g", 1, null], lang: "ko" },
      { name: "박지훈", lang: "ko", meta: { plan: "gold", n: "3", ok: "true" }, groups: ["g", "1"], tags: [] },
    ],
  ])("%s", (_label, kind, body, expected) => {
    expect(parseRecord(kind, body)).toEqual(expected);
  });
});
