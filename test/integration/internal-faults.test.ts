// Faults inside the relay: the queue, KV or the claim object failing at the
// worst moment. The sender must get a 503 whenever something it sent might not
// be delivered, no dedup key may hide its retry, and the claims must keep every
// retry to one post per destination.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import relay from "../../src/index.ts";
import { dedupKey } from "../../src/storage/dedup.ts";
import { eventKey } from "../../src/storage/event-key.ts";
import { TAG } from "../support/ids.ts";
import { consume, deadLetterOf, deliveryFor, deliveryStates } from "../support/queue.ts";
import { HOOKS } from "../support/test-env.ts";
import { closeEvent, post, received, receivedAtLeast, script, signedRequest } from "../support/worker.ts";

const ctx = { waitUntil() {}, passThroughOnException() {}, props: {} } as unknown as ExecutionContext;
const down = () => Promise.reject(new Error("storage down"));
const storedKey = async (triggerId: string) => env.DEDUP.get(dedupKey(await eventKey("TEST_APP", triggerId)));
const settle = (ms = 1000) => new Promise((r) => setTimeout(r, ms));

/** Posts through the Worker with some bindings replaced. */
async function postWith(event: object, overrides: Record<string, unknown>) {
  const response = await relay.fetch(await signedRequest(event), { ...env, ...overrides } as Env, ctx);
  return { status: response.status, body: await response.json() };
}

const TWO = [HOOKS["main-slack"], HOOKS["second-slack"]].sort();
const paths = (got: { path: string }[]) => got.map((r) => r.path).sort();

describe.concurrent("faults inside, at ingest", () => {
  it("a dedup write that fails after the enqueue: 503, and the sender's retry is queued again but posted once", async () => {
    const event = closeEvent({}, { tags: [TAG.two] });
    const dedup = { get: (k: string) => env.DEDUP.get(k), put: down };
    expect(await postWith(event, { DEDUP: dedup })).toEqual({
      status: 503,
      body: { error: "temporarily unavailable, retry later" },
    });
    expect(await storedKey(event.triggerId)).toBeNull();
    // The deliveries were queued before the write failed: they go out anyway.
    expect(paths(await receivedAtLeast(event.triggerId, 2))).toEqual(TWO);
    const retry = await post(event);
    expect(retry.status).toBe(202);
    expect(retry.body.destinations).toEqual(["main-slack", "second-slack"]);
    await settle();
    expect(paths(await received(event.triggerId))).toEqual(TWO);
    expect(await deliveryStates(event.triggerId)).toMatchObject([
      { destination: "main-slack", state: "delivered", attempts: 1 },
      { destination: "second-slack", state: "delivered", attempts: 1 },
    ]);
    expect(await storedKey(event.triggerId)).not.toBeNull();
  });

  it("a queue that takes part of a batch and then fails: 503, and the retry posts each destination once", async () => {
    const event = closeEvent({}, { tags: [TAG.two] });
    const partial = {
      send: down,
      sendBatch: async (messages: MessageSendRequest[]) => {
        await env.DELIVERIES.sendBatch(messages.slice(0, 1));
        throw new Error("queue failed mid-way");
      },
    };
    expect((await postWith(event, { DELIVERIES: partial })).status).toBe(503);
    expect(await storedKey(event.triggerId)).toBeNull();
    expect((await post(event)).status).toBe(202);
    expect(paths(await receivedAtLeast(event.triggerId, 2))).toEqual(TWO);
    await settle();
    expect(paths(await received(event.triggerId))).toEqual(TWO);
  });

  it("KV failing to store a large event's copy: 503 before anything is queued, and the retry is delivered once", async () => {
    const event = closeEvent({ meta: { blob: "m".repeat(20 * 1024) } });
    const state = { get: (k: string) => env.RELAY_STATE.get(k), put: down };
    expect((await postWith(event, { RELAY_STATE: state })).status).toBe(503);
    expect(await storedKey(event.triggerId)).toBeNull();
    await settle(500);
    expect(await received(event.triggerId)).toEqual([]);
    expect((await post(event)).status).toBe(202);
    expect(await receivedAtLeast(event.triggerId, 1)).toHaveLength(1);
  });

  it("20 simultaneous copies while KV reads are stale (as at two edge locations): every copy queued, one post per destination", async () => {
    const event = closeEvent({}, { tags: [TAG.vip] });
    const stale = {
      get: async () => null,
      put: (k: string, v: string, o: KVNamespacePutOptions) => env.DEDUP.put(k, v, o),
    };
    const answers = await Promise.all(Array.from({ length: 20 }, () => postWith(event, { DEDUP: stale })));
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(202));
    expect(paths(await receivedAtLeast(event.triggerId, 2))).toEqual([HOOKS["main-slack"], HOOKS["vip-slack"]].sort());
    await settle(1500);
    expect(await received(event.triggerId)).toHaveLength(2);
  });
});

describe.concurrent("faults inside, at delivery", () => {
  it("a claim object that fails: the message is retried later and nothing is posted meanwhile", async () => {
    const message = await deliveryFor();
    const broken = { idFromName: () => ({}), get: () => ({ claim: down, delivered: down, failed: down }) };
    const first = await consume([message], { ...env, CLAIMS: broken } as unknown as Env);
    expect(first).toMatchObject({ acked: [], retried: [{ delaySeconds: 60 }] });
    expect(await received(message.triggerId)).toEqual([]);
    const second = await consume([message]);
    expect(second.acked).toHaveLength(1);
    expect(await receivedAtLeast(message.triggerId, 1)).toHaveLength(1);
  });

  it("a stored event copy that cannot be read: retried later, not dropped, nothing posted", async () => {
    const message = { ...(await deliveryFor()), payload: { kv: `payload:${crypto.randomUUID()}` } };
    const state = { get: down, put: down };
    const result = await consume([message], { ...env, RELAY_STATE: state } as unknown as Env);
    expect(result).toMatchObject({ acked: [], retried: [{ delaySeconds: 60 }] });
    expect(await received(message.triggerId)).toEqual([]);
  });

  it("a dead-letter queue that fails when giving up: the message is retried, not lost", async () => {
    const message = await deliveryFor();
    await script(message.triggerId, [{ status: 404, body: "channel_not_found" }]);
    const result = await consume([message], {
      ...env,
      DEAD_LETTERS: { send: down, sendBatch: down },
    } as unknown as Env);
    expect(result).toMatchObject({ acked: [], retried: [{ delaySeconds: 60 }] });
    // Still open (its claim lapses and the queue's retry tries again), not dead without a record.
    expect(await deliveryStates(message.triggerId)).toMatchObject([{ state: "queued", attempts: 1 }]);
  });

  it("a message the queue moved to the dead letters itself (the consumer kept crashing) is recorded with its reason", async () => {
    const message = await deliveryFor();
    await env.DEAD_LETTERS.send(message, { contentType: "json" });
    const dead = await deadLetterOf(message.triggerId, "main-slack");
    expect(dead.reason).toMatch(/^the queue gave up after \d+ deliveries/);
    expect(await received(message.triggerId)).toEqual([]);
  });
});
