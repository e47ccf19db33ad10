// The large-payload copy against the real local KV: stored, read, restored for a replay.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import {
  loadPayload,
  PAYLOAD_TTL_SECONDS,
  payloadKey,
  restorePayload,
  storePayload,
} from "../../../src/storage/payload.ts";

const kv = env.RELAY_STATE;

describe("the payload copy", () => {
  it("is stored as payload:<eventKey>, kept 30 days, and read back through its reference", async () => {
    const key = crypto.randomUUID();
    const before = Math.floor(Date.now() / 1000);
    const ref = await storePayload(kv, key, '{"triggerId":"t1"}');
    expect(ref).toEqual({ kv: `payload:${key}` });
    expect(payloadKey(key)).toBe(`payload:${key}`);
    expect(await loadPayload(kv, ref)).toBe('{"triggerId":"t1"}');
    const entry = (await kv.list({ prefix: `payload:${key}` })).keys[0];
    expect(PAYLOAD_TTL_SECONDS).toBe(30 * 24 * 3600);
    expect(entry?.expiration).toBeGreaterThanOrEqual(before + PAYLOAD_TTL_SECONDS);
  });

  it("reads an inline body without touching KV, and an expired copy as null", async () => {
    expect(await loadPayload(kv, { inline: "body" })).toBe("body");
    expect(await loadPayload(kv, { kv: `payload:${crypto.randomUUID()}` })).toBeNull();
  });

  it("restores an expired copy from the dead letter's body before a replay", async () => {
    const ref = { kv: payloadKey(crypto.randomUUID()) };
    expect(await restorePayload(kv, ref, "kept body")).toBe(true);
    expect(await kv.get(ref.kv)).toBe("kept body");
  });

  it("says the body is gone when neither the copy nor the dead letter has it", async () => {
    const gone = { kv: payloadKey(crypto.randomUUID()) };
    expect(await restorePayload(kv, gone, null)).toBe(false);
    const there = await storePayload(kv, crypto.randomUUID(), "still here");
    expect(await restorePayload(kv, there, null)).toBe(true);
    expect(await restorePayload(kv, { inline: "x" }, null)).toBe(true);
  });
});
