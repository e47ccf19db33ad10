import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { MemoryNames, NameCache, nameKey, UNKNOWN_TTL_SECONDS } from "../../../src/gitple/cache.ts";

const kv = (env as unknown as { RELAY_STATE: KVNamespace }).RELAY_STATE;
const app = () => `c-${crypto.randomUUID().slice(0, 8)}`;

describe("NameCache", () => {
  it("memory: a name lives cache_ttl_seconds, a 404 min(10 minutes, cache_ttl_seconds)", async () => {
    let now = 1_000_000;
    const cache = new NameCache({ ttlSeconds: 3600, memory: new MemoryNames(), now: () => now });
    const a = app();
    await cache.put(a, "sessionTags", "t1", { found: true, record: { name: "VIP" } });
    await cache.put(a, "sessionTags", "t2", { found: false });
    now += (UNKNOWN_TTL_SECONDS - 1) * 1000;
    expect(await cache.get(a, "sessionTags", "t2")).toEqual({ found: false });
    now += 2000;
    expect(await cache.get(a, "sessionTags", "t2")).toBeUndefined();
    expect(await cache.get(a, "sessionTags", "t1")).toEqual({ found: true, record: { name: "VIP" } });
    now += 3600 * 1000;
    expect(await cache.get(a, "sessionTags", "t1")).toBeUndefined();

    let short = 0;
    const brief = new NameCache({ ttlSeconds: 60, memory: new MemoryNames(), now: () => short });
    await brief.put(a, "agents", "x", { found: false });
    short += 61_000;
    expect(await brief.get(a, "agents", "x")).toBeUndefined();
  });

  it("keys are per (appCode, kind, id)", async () => {
    const cache = new NameCache({ ttlSeconds: 3600, memory: new MemoryNames() });
    const a = app();
    await cache.put(a, "sessionTags", "same", { found: true, record: { name: "세션 태그" } });
    expect(await cache.get(a, "userTags", "same")).toBeUndefined();
    expect(await cache.get(app(), "sessionTags", "same")).toBeUndefined();
    expect(nameKey("demo-app", "categories", "c1")).toBe("gitple:v1:categories:demo-app:c1");
  });

  it("memory is bounded: the least recently used entry goes first", () => {
    const memory = new MemoryNames(3);
    const forever = Number.MAX_SAFE_INTEGER;
    for (const k of ["a", "b", "c"]) memory.set(k, { found: false }, forever);
    memory.get("a", 0); // a is now the most recent
    memory.set("d", { found: false }, forever);
    expect(memory.size).toBe(3);
    expect(memory.get("b", 0)).toBeUndefined();
    expect(memory.get("a", 0)).toEqual({ found: false });
    expect(memory.get("d", 0)).toEqual({ found: false });
  });

  it("KV holds the bounded kinds with expirationTtl; users stay in memory only", async () => {
    const a = app();
    const cache = new NameCache({ kv, ttlSeconds: 7200, memory: new MemoryNames() });
    await cache.put(a, "agents", "ag1", { found: true, record: { name: "김민준" } });
    await cache.put(a, "users", "u1", { found: true, record: { name: "박지훈", meta: {}, groups: [], tags: [] } });
    expect(await kv.get(nameKey(a, "users", "u1"))).toBeNull();
    const { keys } = await kv.list({ prefix: nameKey(a, "agents", "ag1") });
    expect(keys[0]?.expiration).toBeGreaterThan(Date.now() / 1000 + 7200 - 60);
    const fresh = new NameCache({ kv, ttlSeconds: 7200, memory: new MemoryNames() });
    expect(await fresh.get(a, "agents", "ag1")).toEqual({ found: true, record: { name: "김민준" } });
    expect(await fresh.get(a, "users", "u1")).toBeUndefined();
  });

  it("a KV value of another shape reads as a miss, a failing KV as memory only (never throws)", async () => {
    const a = app();
    await kv.put(nameKey(a, "sessionTags", "old"), JSON.stringify({ name: "old format" }));
    await kv.put(nameKey(a, "sessionTags", "junk"), "not json");
    const cache = new NameCache({ kv, ttlSeconds: 3600, memory: new MemoryNames() });
    expect(await cache.get(a, "sessionTags", "old")).toBeUndefined();
    expect(await cache.get(a, "sessionTags", "junk")).toBeUndefined();

    const broken = {
      get: () => Promise.reject(new Error("KV down")),
      put: () => Promise.reject(new Error("KV down")),
    } as unknown as KVNamespace;
    const resilient = new NameCache({ kv: broken, ttlSeconds: 3600, memory: new MemoryNames() });
    expect(await resilient.get(a, "sessionTags", "x")).toBeUndefined();
    await resilient.put(a, "sessionTags", "x", { found: true, record: { name: "X" } });
    expect(await resilient.get(a, "sessionTags", "x")).toEqual({ found: true, record: { name: "X" } });
  });

  it("defer: the KV write is handed to waitUntil, not awaited", async () => {
    const a = app();
    const deferred: Promise<unknown>[] = [];
    const cache = new NameCache({ kv, ttlSeconds: 3600, memory: new MemoryNames(), defer: (p) => deferred.push(p) });
    await cache.put(a, "userGroups", "g1", { found: true, record: { name: "기업 고객" } });
    expect(deferred).toHaveLength(1);
    await Promise.all(deferred);
    expect(await kv.get(nameKey(a, "userGroups", "g1"), "json")).toMatchObject({
      v: 1,
      found: true,
      record: { name: "기업 고객" },
    });
  });
});
