// Hostile events against the platform's own limits on the way to delivery:
// a queue batch holds at most 256 KB and KV index metadata 1024 bytes. An event
// that trips one of them must still be delivered (or dead-lettered), not stuck
// behind a 503 or a dead letter that can never be written.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { enqueueDeliveries } from "../../src/ingest/enqueue.ts";
import { INLINE_PAYLOAD_BYTES } from "../../src/storage/delivery-message.ts";
import { eventKey } from "../../src/storage/event-key.ts";
import { deadLetterOf } from "../support/queue.ts";
import { closeEvent, post, received, receivedAtLeast, script } from "../support/worker.ts";

describe("platform limits on the way to delivery", () => {
  it("queues a backslash-heavy event of the inline size for ten destinations within the queue's batch limit", async () => {
    // Every `\` (and `"`) of the body is escaped again inside the queued message: it is twice the body.
    const event = closeEvent();
    const base = JSON.stringify({ ...event, pad: "" });
    const raw = JSON.stringify({ ...event, pad: "\\".repeat((INLINE_PAYLOAD_BYTES - base.length) / 2) });
    const bodyBytes = new TextEncoder().encode(raw).byteLength;
    expect(bodyBytes).toBeLessThanOrEqual(INLINE_PAYLOAD_BYTES);
    const accepted = {
      eventKey: await eventKey("TEST_APP", event.triggerId),
      triggerId: event.triggerId,
      appCode: "TEST_APP",
      type: event.type,
      raw,
      bodyBytes,
      acceptedAt: new Date().toISOString(),
    };
    // Ten copies for one destination: the real local queue enforces the limits, and the claim posts once.
    const destinations = Array.from({ length: 10 }, () => ({ name: "main-slack", rules: ["closes"] }));
    await expect(enqueueDeliveries(env, accepted, destinations)).resolves.toBeUndefined();
    expect(await receivedAtLeast(event.triggerId, 1)).toHaveLength(1);
  });

  it("records the dead letter of an event whose triggerId and failure reason are long and need escaping", async () => {
    const event = closeEvent({ triggerId: `${crypto.randomUUID()}${"\u0000".repeat(200)}` });
    await script(event.triggerId.slice(0, 36), [{ status: 404, body: "채널을 찾을 수 없습니다 ".repeat(20) }]);
    expect((await post(event)).status).toBe(202);
    const dead = await deadLetterOf(event.triggerId, "main-slack");
    expect(dead).toMatchObject({ triggerId: event.triggerId, attempts: 1, lastStatus: 404 });
    expect(dead.reason).toMatch(/^HTTP 404: 채널을 찾을 수 없습니다/);
    // The listing's index entry was written too, its summary cut to KV's 1024-byte metadata limit.
    const index = await env.RELAY_STATE.getWithMetadata<{ id: string; triggerId: string }>(dead.indexKey);
    expect(index.value).toBe("");
    expect(index.metadata?.id).toBe(dead.id);
    expect(index.metadata?.triggerId.startsWith(event.triggerId.slice(0, 36))).toBe(true);
    expect(await received(event.triggerId.slice(0, 36))).toEqual([]);
  });
});
