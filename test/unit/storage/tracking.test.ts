// The delivery index of before issue 13 against the real local KV: records written in its key layout
// (kept at least 7 days after the deploy that stopped writing them) must stay readable.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { sha256Hex } from "../../../src/lib/sha256.ts";
import { eventKey } from "../../../src/storage/event-key.ts";
import { findAccepted } from "../../../src/storage/tracking.ts";

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
