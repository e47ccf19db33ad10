// The delivery index against the real local KV: its key layout (existing records must stay readable).
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { sha256Hex } from "../../../src/lib/sha256.ts";
import { eventKey } from "../../../src/storage/event-key.ts";
import { findAccepted, TRACKING_MIN_TTL_SECONDS, trackAccepted } from "../../../src/storage/tracking.ts";

const kv = env.RELAY_STATE;

async function tracked(triggerId: string, appCode: string, acceptedAt: string) {
  return {
    eventKey: await eventKey(appCode, triggerId),
    triggerId,
    appCode,
    type: "session_state_close",
    acceptedAt,
    destinations: ["main-slack"],
  };
}

describe("the delivery index", () => {
  it("writes delivery:<sha256(triggerId)>:<eventKey>, kept at least 7 days", async () => {
    const event = await tracked(crypto.randomUUID(), "TEST_APP", "2026-01-01T00:00:00.000Z");
    const before = Math.floor(Date.now() / 1000);
    await trackAccepted(kv, event, 3600);
    const key = `delivery:${await sha256Hex(event.triggerId)}:${event.eventKey}`;
    expect(await kv.get(key, "json")).toEqual(event);
    const entry = (await kv.list({ prefix: key })).keys[0];
    expect(entry?.expiration).toBeGreaterThanOrEqual(before + TRACKING_MIN_TTL_SECONDS);
  });

  it("finds a record written in that layout, newest first, and by appCode", async () => {
    const triggerId = crypto.randomUUID();
    const older = await tracked(triggerId, "APP_A", "2026-01-01T00:00:00.000Z");
    const newer = await tracked(triggerId, "APP_B", "2026-01-02T00:00:00.000Z");
    for (const e of [older, newer]) {
      await kv.put(`delivery:${await sha256Hex(triggerId)}:${e.eventKey}`, JSON.stringify(e));
    }
    expect(await findAccepted(kv, triggerId)).toEqual([newer, older]);
    expect(await findAccepted(kv, triggerId, "APP_A")).toEqual([older]);
    expect(await findAccepted(kv, triggerId, "NO_APP")).toEqual([]);
    expect(await findAccepted(kv, `${triggerId}:x`)).toEqual([]);
  });
});
