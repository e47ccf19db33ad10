// End to end: POST /events → real local queue → consumer → fake Slack, with
// retries, dead letters and the exactly-once claim.
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { claimsFor } from "../../src/delivery/claims.ts";
import relay from "../../src/index.ts";
import { type DeadLetterRecord, deadLetterKey } from "../../src/storage/dead-letters.ts";
import { type DeliveryMessage, deliveryId } from "../../src/storage/delivery-message.ts";
import { eventKey } from "../../src/storage/event-key.ts";
import { TAG } from "../support/ids.ts";
import { attemptsAt } from "../support/queue.ts";
import { HOOKS } from "../support/test-env.ts";
import { closeEvent, post, received, receivedAtLeast, script, waitFor } from "../support/worker.ts";

async function deadLetter(triggerId: string, destination: string): Promise<DeadLetterRecord> {
  const id = deliveryId({ eventKey: await eventKey("TEST_APP", triggerId), destination });
  return waitFor(
    async () => (await env.RELAY_STATE.get<DeadLetterRecord>(deadLetterKey(id), "json")) ?? undefined,
    15_000,
    `dead letter ${id}`,
  );
}

async function states(triggerId: string) {
  return claimsFor(env, await eventKey("TEST_APP", triggerId)).states();
}

describe("delivery to Slack", () => {
  it("posts a Block Kit message to the matched webhook", async () => {
    const event = closeEvent();
    expect((await post(event)).status).toBe(202);
    const [message, ...extra] = await receivedAtLeast(event.triggerId, 1);
    expect(extra).toEqual([]);
    expect(message?.path).toBe(HOOKS["main-slack"]);
    const body = JSON.parse(message?.body ?? "{}");
    expect(body.text).toEqual(expect.any(String));
    expect(body.blocks[0].type).toBe("header");
    expect(await states(event.triggerId)).toMatchObject([
      { destination: "main-slack", state: "delivered", attempts: 1, lastStatus: 200 },
    ]);
  });

  it("delivers once to each of several destinations", async () => {
    const event = closeEvent({}, { tags: [TAG.vip] });
    expect((await post(event)).body.destinations).toEqual(["vip-slack", "main-slack"]);
    const got = await receivedAtLeast(event.triggerId, 2);
    expect(got.map((r) => r.path).sort()).toEqual([HOOKS["main-slack"], HOOKS["vip-slack"]].sort());
  });

  it("retries a Slack that fails twice, then delivers exactly once", async () => {
    const event = closeEvent();
    await script(event.triggerId, [{ status: 500 }, { status: 503, body: "service_unavailable" }]);
    await post(event);
    const got = await receivedAtLeast(event.triggerId, 1);
    expect(got).toHaveLength(1);
    expect(await states(event.triggerId)).toMatchObject([{ state: "delivered", attempts: 3 }]);
  });

  it("waits for Retry-After on 429", async () => {
    const event = closeEvent();
    await script(event.triggerId, [{ status: 429, headers: { "retry-after": "1" }, body: "rate_limited" }]);
    const before = Date.now();
    await post(event);
    const [message] = await receivedAtLeast(event.triggerId, 1);
    expect((message?.at ?? 0) - before).toBeGreaterThanOrEqual(1000);
    expect(await states(event.triggerId)).toMatchObject([{ state: "delivered", attempts: 2 }]);
  });

  it("dead-letters a permanent 404 after one attempt, with Slack's answer as the reason", async () => {
    const event = closeEvent();
    await script(event.triggerId, [{ status: 404, body: "channel_not_found" }, { status: 200 }]);
    await post(event);
    const dead = await deadLetter(event.triggerId, "main-slack");
    expect(dead).toMatchObject({
      triggerId: event.triggerId,
      destination: "main-slack",
      reason: "HTTP 404: channel_not_found",
      attempts: 1,
      lastStatus: 404,
      state: "dead",
    });
    expect(JSON.parse(dead.event ?? "{}")).toEqual(event);
    expect(await received(event.triggerId)).toEqual([]);
    expect(await states(event.triggerId)).toMatchObject([{ state: "dead", attempts: 1, lastStatus: 404 }]);
  });

  it("dead-letters after max_attempts of 5xx", async () => {
    const event = closeEvent();
    await script(event.triggerId, [{ status: 500 }, { status: 502 }, { status: 503 }, { status: 200 }]);
    await post(event);
    const dead = await deadLetter(event.triggerId, "main-slack");
    expect(dead.attempts).toBe(3);
    expect(dead.reason).toMatch(/^gave up after 3 attempts; last: HTTP 503/);
    expect(await received(event.triggerId)).toEqual([]);
    // What reached the receiver, not what the relay says it did: max_attempts (3) posts, the 200 never asked for.
    await new Promise((r) => setTimeout(r, 500));
    const tries = await attemptsAt(event.triggerId);
    expect(tries.map((t) => [t.path, t.answer])).toEqual([
      [HOOKS["main-slack"], 500],
      [HOOKS["main-slack"], 502],
      [HOOKS["main-slack"], 503],
    ]);
  });

  it("delivers an event larger than a queue message (128 KB) through a stored copy", async () => {
    const event = closeEvent({ meta: { blob: "m".repeat(150 * 1024) } }, { note: "긴 메모 ".repeat(2000) });
    expect((await post(event)).status).toBe(202);
    const [message] = await receivedAtLeast(event.triggerId, 1);
    expect(message?.body.length).toBeLessThan(60_000);
  });

  it("posts once for 20 simultaneous copies of one event", async () => {
    const event = closeEvent({}, { tags: [TAG.vip] });
    const answers = await Promise.all(Array.from({ length: 20 }, () => post(event)));
    for (const a of answers) expect([200, 202]).toContain(a.status);
    const got = await receivedAtLeast(event.triggerId, 2);
    await new Promise((r) => setTimeout(r, 1000));
    expect((await received(event.triggerId)).length).toBe(2);
    expect(got.map((r) => r.path).sort()).toEqual([HOOKS["main-slack"], HOOKS["vip-slack"]].sort());
  });
});

describe("the claim under concurrent consumers", () => {
  async function message(triggerId: string): Promise<DeliveryMessage> {
    const event = closeEvent({ triggerId });
    return {
      v: 1,
      eventKey: await eventKey("TEST_APP", triggerId),
      triggerId,
      appCode: "TEST_APP",
      type: "session_state_close",
      destination: "main-slack",
      rules: ["closes"],
      acceptedAt: new Date().toISOString(),
      payload: { inline: JSON.stringify(event) },
    };
  }

  it("posts once when one batch holds the same delivery ten times", async () => {
    const body = await message(`batch-${crypto.randomUUID()}`);
    const batch = createMessageBatch(
      "gitple-relay-deliveries",
      Array.from({ length: 10 }, (_, i) => ({ id: `m${i}`, timestamp: new Date(), attempts: 1, body })),
    );
    const ctx = createExecutionContext();
    await relay.queue(batch as MessageBatch<unknown>, env as Env);
    const result = await getQueueResult(batch, ctx);
    expect(result.explicitAcks.length + result.retryMessages.length).toBe(10);
    expect(await receivedAtLeast(body.triggerId, 1)).toHaveLength(1);
  });

  it("records a dead-letter notice that reaches the deliveries queue (a renamed dead-letter queue) instead of losing it", async () => {
    const body = await message(`notice-${crypto.randomUUID()}`);
    const notice = {
      kind: "dead-letter",
      delivery: body,
      reason: "HTTP 404: gone",
      attempts: 1,
      lastStatus: 404,
      deadAt: new Date().toISOString(),
    };
    const batch = createMessageBatch("gitple-relay-deliveries", [
      { id: "n1", timestamp: new Date(), attempts: 1, body: notice },
    ]);
    const ctx = createExecutionContext();
    await relay.queue(batch as MessageBatch<unknown>, env as Env);
    expect((await getQueueResult(batch, ctx)).explicitAcks).toEqual(["n1"]);
    const dead = await deadLetter(body.triggerId, "main-slack");
    expect(dead).toMatchObject({ reason: "HTTP 404: gone", attempts: 1, lastStatus: 404, state: "dead" });
    expect(await received(body.triggerId)).toEqual([]);
  });

  it("posts once when three batches with copies of one delivery run at the same time", async () => {
    const body = await message(`batches-${crypto.randomUUID()}`);
    const runs = Array.from({ length: 3 }, async (_, b) => {
      const batch = createMessageBatch(
        "gitple-relay-deliveries",
        Array.from({ length: 5 }, (_, i) => ({ id: `b${b}m${i}`, timestamp: new Date(), attempts: 1, body })),
      );
      const ctx = createExecutionContext();
      await relay.queue(batch as MessageBatch<unknown>, env as Env);
      return getQueueResult(batch, ctx);
    });
    await Promise.all(runs);
    await new Promise((r) => setTimeout(r, 500));
    expect(await received(body.triggerId)).toHaveLength(1);
  });

  it("posts once per destination when copies of two deliveries are spread over four concurrent batches", async () => {
    const main = await message(`spread-${crypto.randomUUID()}`);
    const second = { ...main, destination: "second-slack", rules: ["two"] };
    const runs = Array.from({ length: 4 }, async (_, b) => {
      const batch = createMessageBatch(
        "gitple-relay-deliveries",
        Array.from({ length: 6 }, (_, i) => ({
          id: `s${b}m${i}`,
          timestamp: new Date(),
          attempts: 1,
          body: i % 2 === 0 ? main : second,
        })),
      );
      const ctx = createExecutionContext();
      await relay.queue(batch as MessageBatch<unknown>, env as Env);
      return getQueueResult(batch, ctx);
    });
    const results = await Promise.all(runs);
    // Every copy is either acked (done elsewhere) or retried later (claimed elsewhere): none is lost.
    for (const r of results) expect(r.explicitAcks.length + r.retryMessages.length).toBe(6);
    await new Promise((r) => setTimeout(r, 500));
    const got = await received(main.triggerId);
    expect(got.map((r) => r.path).sort()).toEqual([HOOKS["main-slack"], HOOKS["second-slack"]].sort());
    expect(await states(main.triggerId)).toMatchObject([
      { destination: "main-slack", state: "delivered", attempts: 1 },
      { destination: "second-slack", state: "delivered", attempts: 1 },
    ]);
  });

  it("posts once when the same delivery is put on the real queue five times", async () => {
    const body = await message(`requeued-${crypto.randomUUID()}`);
    await env.DELIVERIES.sendBatch(Array.from({ length: 5 }, () => ({ body, contentType: "json" as const })));
    await receivedAtLeast(body.triggerId, 1);
    await new Promise((r) => setTimeout(r, 1000));
    expect(await received(body.triggerId)).toHaveLength(1);
  });
});
