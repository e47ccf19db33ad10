import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { DEMO_IDS } from "../../../scripts/lib/gitple-demo-data.ts";
import { nameKey } from "../../../src/gitple/cache.ts";
import { categoryPathText, nameOf } from "../../../src/gitple/names.ts";
import { resolveNames } from "../../../src/gitple/resolve.ts";
import { STAND_IN_SECRET, workspace } from "./stand-in.ts";

const I = DEMO_IDS;
const kv = (env as unknown as { RELAY_STATE: KVNamespace }).RELAY_STATE;

const eventIds = {
  sessionTags: [I.sessionTags.vip, I.sessionTags.delay],
  categories: [I.categories.parcelLost],
  userGroups: [I.userGroups.premium],
  userTags: [I.userTags.returning],
  agents: [I.agents.kim],
  users: [I.users.park],
};

describe("resolveNames", () => {
  it("resolves every kind to its name, the category as its path from the root", async () => {
    const ws = await workspace();
    const res = await resolveNames(eventIds, { conn: ws.conn, cache: ws.cache(kv), budgetMs: 3000 });
    expect(res.unavailable).toBe(false);
    expect(res.unauthorized).toBeNull();
    expect(res.unknown).toEqual([]);
    expect(res.pending).toEqual([]);
    expect(nameOf(res, "sessionTags", I.sessionTags.vip)).toBe("VIP");
    expect(nameOf(res, "sessionTags", I.sessionTags.delay)).toBe("배송지연");
    expect(nameOf(res, "userGroups", I.userGroups.premium)).toBe("프리미엄 회원");
    expect(nameOf(res, "userTags", I.userTags.returning)).toBe("재구매 고객");
    expect(res.names.agents[I.agents.kim]).toEqual({ name: "김민준", identifier: "minjun.kim" });
    expect(res.names.users[I.users.park]).toEqual({
      name: "박지훈",
      identifier: "customer-1001",
      lang: "ko",
      meta: { plan: "gold", region: "서울" },
      email: "jihoon.park@example.com",
      phone: "010-1234-5678",
      groups: [I.userGroups.premium],
      tags: [I.userTags.returning],
    });
    // Three levels deep: the parents are looked up too, up to the root.
    expect(categoryPathText(res, I.categories.parcelLost)).toBe("배송 › 분실 › 택배 분실");
    expect(res.categoryPaths[I.categories.parcelLost]).toEqual([
      { id: I.categories.delivery, name: "배송" },
      { id: I.categories.lost, name: "분실" },
      { id: I.categories.parcelLost, name: "택배 분실" },
    ]);
    expect(res.calls).toBe(9);
    const { calls } = await ws.calls();
    expect(Object.keys(calls).sort()).toEqual(
      [
        `/exports/sessionTags/${I.sessionTags.vip}`,
        `/exports/sessionTags/${I.sessionTags.delay}`,
        `/exports/categories/${I.categories.parcelLost}`,
        `/exports/categories/${I.categories.lost}`,
        `/exports/categories/${I.categories.delivery}`,
        `/exports/userGroups/${I.userGroups.premium}`,
        `/exports/userTags/${I.userTags.returning}`,
        `/exports/agents/${I.agents.kim}`,
        `/exports/users/${I.users.park}`,
      ].sort(),
    );
    expect(Object.values(calls).every((n) => n === 1)).toBe(true);
  });

  it("the second lookup hits the cache: no call", async () => {
    const ws = await workspace();
    const cache = ws.cache(kv);
    await resolveNames(eventIds, { conn: ws.conn, cache, budgetMs: 3000 });
    const before = (await ws.calls()).total;
    const again = await resolveNames(eventIds, { conn: ws.conn, cache, budgetMs: 3000 });
    expect(again.calls).toBe(0);
    expect((await ws.calls()).total).toBe(before);
    expect(categoryPathText(again, I.categories.parcelLost)).toBe("배송 › 분실 › 택배 분실");
    expect(nameOf(again, "users", I.users.park)).toBe("박지훈");
  });

  it("a new isolate (fresh memory) finds the bounded kinds in KV; people are not in KV and are asked for again", async () => {
    const ws = await workspace();
    await resolveNames(eventIds, { conn: ws.conn, cache: ws.cache(kv), budgetMs: 3000 });
    const before = (await ws.calls()).calls;
    const res = await resolveNames(eventIds, { conn: ws.conn, cache: ws.cache(kv), budgetMs: 3000 });
    expect(res.calls).toBe(1);
    const after = (await ws.calls()).calls;
    expect(after[`/exports/users/${I.users.park}`]).toBe(2);
    expect(after[`/exports/sessionTags/${I.sessionTags.vip}`]).toBe(
      before[`/exports/sessionTags/${I.sessionTags.vip}`],
    );
    expect(nameOf(res, "agents", I.agents.kim)).toBe("김민준");
    // What KV holds: the bounded kinds with an expiry, never a person, never the secret.
    const listed = await kv.list({ prefix: "gitple:v1:" });
    const mine = listed.keys.filter((k) => k.name.includes(`:${ws.appCode}:`));
    expect(mine.map((k) => k.name).sort()).toEqual(
      [
        nameKey(ws.appCode, "sessionTags", I.sessionTags.vip),
        nameKey(ws.appCode, "sessionTags", I.sessionTags.delay),
        nameKey(ws.appCode, "categories", I.categories.parcelLost),
        nameKey(ws.appCode, "categories", I.categories.lost),
        nameKey(ws.appCode, "categories", I.categories.delivery),
        nameKey(ws.appCode, "userGroups", I.userGroups.premium),
        nameKey(ws.appCode, "userTags", I.userTags.returning),
        nameKey(ws.appCode, "agents", I.agents.kim),
      ].sort(),
    );
    for (const k of mine) {
      expect(k.expiration).toBeGreaterThan(Date.now() / 1000 + 86400 - 120);
      expect(await kv.get(k.name)).not.toContain(STAND_IN_SECRET);
    }
  });

  it("a 404 id is unknown, shown as the id, and remembered (10 minutes in KV)", async () => {
    const ws = await workspace();
    const missing = "5cc7a100000000000000dead";
    const cache = ws.cache(kv);
    const res = await resolveNames(
      { sessionTags: [missing, I.sessionTags.vip] },
      { conn: ws.conn, cache, budgetMs: 3000 },
    );
    expect(res.unknown).toEqual([{ kind: "sessionTags", id: missing }]);
    expect(res.unavailable).toBe(false);
    expect(nameOf(res, "sessionTags", missing)).toBe(missing);
    const again = await resolveNames({ sessionTags: [missing] }, { conn: ws.conn, cache, budgetMs: 3000 });
    expect(again.calls).toBe(0);
    expect(again.unknown).toEqual([{ kind: "sessionTags", id: missing }]);
    expect((await ws.calls()).calls[`/exports/sessionTags/${missing}`]).toBe(1);
    const listed = await kv.list({ prefix: nameKey(ws.appCode, "sessionTags", missing) });
    const expiration = listed.keys[0]?.expiration ?? 0;
    expect(expiration).toBeGreaterThan(Date.now() / 1000 + 600 - 60);
    expect(expiration).toBeLessThan(Date.now() / 1000 + 600 + 60);
  });

  it("401: the unauthorized message (no secret), ids pending, no further call for the event", async () => {
    const ws = await workspace();
    const secret = "not the stand-in secret 42";
    const logged = (["log", "warn", "error", "info", "debug"] as const).map((m) => vi.spyOn(console, m));
    const res = await resolveNames(eventIds, {
      conn: { ...ws.conn, secret },
      cache: ws.cache(kv),
      budgetMs: 3000,
      maxInFlight: 1,
    });
    expect(res.unauthorized).toContain("api_secret");
    expect(res.unavailable).toBe(false);
    expect(res.calls).toBe(1);
    expect(res.pending).toHaveLength(7);
    expect(JSON.stringify(res)).not.toContain(secret);
    // The resolver itself logs nothing (the caller logs the problem once: health.ts).
    for (const spy of logged) expect(spy).not.toHaveBeenCalled();
    for (const spy of logged) spy.mockRestore();
    expect(nameOf(res, "sessionTags", I.sessionTags.vip)).toBe(I.sessionTags.vip);
    // Nothing was remembered: with the right secret the names come.
    const fixed = await resolveNames(eventIds, { conn: ws.conn, cache: ws.cache(kv), budgetMs: 3000 });
    expect(nameOf(fixed, "sessionTags", I.sessionTags.vip)).toBe("VIP");
  });

  it("500 then success: unavailable first (nothing remembered), names on the next try", async () => {
    const ws = await workspace();
    const cache = ws.cache(kv);
    await ws.misbehave(`/exports/categories/${I.categories.lost}`, { status: 500 });
    const first = await resolveNames(
      { categories: [I.categories.parcelLost] },
      { conn: ws.conn, cache, budgetMs: 3000 },
    );
    expect(first.unavailable).toBe(true);
    expect(first.pending).toEqual([{ kind: "categories", id: I.categories.lost }]);
    expect(categoryPathText(first, I.categories.parcelLost)).toBe("택배 분실"); // as far up as known
    const second = await resolveNames(
      { categories: [I.categories.parcelLost] },
      { conn: ws.conn, cache, budgetMs: 3000 },
    );
    expect(second.unavailable).toBe(false);
    expect(second.calls).toBe(2); // the parent and the root; the leaf was cached
    expect(categoryPathText(second, I.categories.parcelLost)).toBe("배송 › 분실 › 택배 분실");
  });

  it("429 is unavailable too", async () => {
    const ws = await workspace();
    await ws.misbehave(`/exports/agents/${I.agents.kim}`, { status: 429, headers: { "retry-after": "5" } });
    const res = await resolveNames(
      { agents: [I.agents.kim] },
      { conn: ws.conn, cache: ws.cache(null), budgetMs: 3000 },
    );
    expect(res.unavailable).toBe(true);
    expect(res.pending).toEqual([{ kind: "agents", id: I.agents.kim }]);
  });

  it("a hang past the timeout: unavailable within the one budget, the rest still resolved", async () => {
    const ws = await workspace();
    await ws.misbehave(`/exports/users/${I.users.park}`, { hang: true });
    const started = Date.now();
    const res = await resolveNames(eventIds, { conn: ws.conn, cache: ws.cache(kv), budgetMs: 1000 });
    const took = Date.now() - started;
    expect(res.unavailable).toBe(true);
    expect(res.pending).toEqual([{ kind: "users", id: I.users.park }]);
    expect(nameOf(res, "sessionTags", I.sessionTags.vip)).toBe("VIP");
    expect(took).toBeGreaterThanOrEqual(900);
    expect(took).toBeLessThan(2000);
  });

  it("all lookups share one budget: slow answers in a row do not each get a full timeout", async () => {
    const ws = await workspace({ latencyMs: 250 });
    const started = Date.now();
    const res = await resolveNames(eventIds, { conn: ws.conn, cache: ws.cache(null), budgetMs: 600, maxInFlight: 1 });
    expect(Date.now() - started).toBeLessThan(1500);
    expect(res.unavailable).toBe(true);
    expect(res.calls).toBeLessThan(9);
  });

  it("at most 6 requests in flight", async () => {
    const ws = await workspace({ latencyMs: 60 });
    const many = [...Array(20)].map((_, i) => `5cc7a9${String(i).padStart(18, "0")}`);
    const res = await resolveNames(
      { ...eventIds, sessionTags: [...eventIds.sessionTags, ...many] },
      { conn: ws.conn, cache: ws.cache(null), budgetMs: 5000 },
    );
    const seen = await ws.calls();
    expect(res.calls).toBe(29);
    expect(seen.total).toBe(29);
    expect(seen.maxInFlight).toBe(6);
  });

  it("each id once, across repeats and kinds' lookups (a category's parent asked for by the event too)", async () => {
    const ws = await workspace({ latencyMs: 20 });
    const res = await resolveNames(
      {
        sessionTags: [I.sessionTags.vip, I.sessionTags.vip],
        categories: [I.categories.parcelLost, I.categories.lost, I.categories.delivery, I.categories.lost],
        userGroups: [I.userGroups.premium, I.userGroups.premium],
      },
      { conn: ws.conn, cache: ws.cache(null), budgetMs: 3000 },
    );
    const { calls, total } = await ws.calls();
    expect(total).toBe(5);
    expect(res.calls).toBe(5);
    expect(Object.values(calls)).toEqual([1, 1, 1, 1, 1]);
    expect(categoryPathText(res, I.categories.lost)).toBe("배송 › 분실");
  });

  it("an id that is not a plain token is never requested: unknown, shown as given", async () => {
    const ws = await workspace();
    const hostile = ["../users/x", "<!channel>", "a/b", "x".repeat(65)];
    const res = await resolveNames(
      { sessionTags: hostile, users: ["?secret=1"] },
      { conn: ws.conn, cache: ws.cache(kv), budgetMs: 3000 },
    );
    expect((await ws.calls()).total).toBe(0);
    expect(res.unknown).toHaveLength(5);
    expect(nameOf(res, "sessionTags", "<!channel>")).toBe("<!channel>");
  });

  it("no ids: no call, nothing unavailable", async () => {
    const ws = await workspace();
    const res = await resolveNames({}, { conn: ws.conn, cache: ws.cache(kv), budgetMs: 3000 });
    expect(res).toMatchObject({ calls: 0, unavailable: false, unauthorized: null, unknown: [], pending: [] });
  });
});
