// The dedup key against the real local KV: its name, its record and its lifetime.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { type AcceptedRecord, dedupKey, remember, seenBefore } from "../../../src/storage/dedup.ts";

const record = (triggerId: string): AcceptedRecord => ({
  triggerId,
  appCode: "TEST_APP",
  type: "session_state_close",
  acceptedAt: "2026-01-01T00:00:00.000Z",
  destinations: ["main-slack"],
});

async function expirationOf(key: string): Promise<number | undefined> {
  return (await env.DEDUP.list({ prefix: key })).keys.find((k) => k.name === key)?.expiration;
}

describe("the dedup key", () => {
  it("is named dedup:<eventKey> and holds the accepted record", async () => {
    const key = crypto.randomUUID();
    expect(await seenBefore(env.DEDUP, key)).toBe(false);
    await remember(env.DEDUP, key, record("t1"), 3600);
    expect(await seenBefore(env.DEDUP, key)).toBe(true);
    expect(await env.DEDUP.get(`dedup:${key}`, "json")).toEqual(record("t1"));
    expect(dedupKey(key)).toBe(`dedup:${key}`);
  });

  it.each([
    [3600, 3600],
    [86_400, 86_400],
    // KV refuses a TTL under 60 s: the key is kept the minimum instead of failing the event.
    [1, 60],
  ])("expires after dedup_ttl_seconds = %i (%i s)", async (ttl, expected) => {
    const key = crypto.randomUUID();
    const before = Math.floor(Date.now() / 1000);
    await remember(env.DEDUP, key, record("t2"), ttl);
    const after = Math.ceil(Date.now() / 1000);
    const expiration = await expirationOf(dedupKey(key));
    expect(expiration).toBeGreaterThanOrEqual(before + expected);
    expect(expiration).toBeLessThanOrEqual(after + expected);
  });
});
