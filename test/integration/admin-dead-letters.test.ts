// /admin/dead-letters: listing and paging, reading, deleting and replaying,
// through the Worker's real fetch handler, queue and fake receiver.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { cursorToken } from "../../src/admin/input.ts";
import { recordDeadLetter } from "../../src/delivery/dead-letters.ts";
import { type DeadLetterRecord, deadLetterKey } from "../../src/storage/dead-letters.ts";
import { deliveryId } from "../../src/storage/delivery-message.ts";
import { eventKey } from "../../src/storage/event-key.ts";
import { payloadKey } from "../../src/storage/payload.ts";
import { admin, deliveryOf, makeDeadLetter, recordingQueue } from "../support/admin.ts";
import { closeEvent, post, received, receivedAtLeast, script, waitFor } from "../support/worker.ts";

interface Summary {
  id: string;
  triggerId: string;
  destination: string;
  reason: string;
  attempts: number;
  deadAt: string;
}

/** Every listed dead letter, page by page, and the number of pages. */
async function listAll(limit: number): Promise<{ items: Summary[]; pages: number }> {
  const items: Summary[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    // Cursors are URL-safe: pasted as they are.
    if (cursor !== null) expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    const query: string = cursor === null ? "" : `&cursor=${cursor}`;
    const r = await admin(`/dead-letters?limit=${limit}${query}`);
    expect(r.status).toBe(200);
    const page = r.body as { items: Summary[]; cursor: string | null };
    expect(page.items.length).toBeLessThanOrEqual(limit);
    items.push(...page.items);
    cursor = page.cursor;
    pages += 1;
  } while (cursor !== null && pages < 100);
  return { items, pages };
}

const ids = (items: Summary[]) => items.map((i) => i.id);

describe("GET /admin/dead-letters", () => {
  it("pages through more dead letters than one page, newest first, each once", async () => {
    const base = Date.now() - 60_000;
    const made: DeadLetterRecord[] = [];
    for (let i = 0; i < 7; i++) made.push(await makeDeadLetter(new Date(base + i * 1000)));
    const { items, pages } = await listAll(3);
    expect(pages).toBeGreaterThanOrEqual(3);
    expect(new Set(ids(items)).size).toBe(items.length);
    const times = items.map((i) => Date.parse(i.deadAt));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    const mine = ids(made).reverse();
    expect(ids(items).filter((id) => mine.includes(id))).toEqual(mine);
    const newest = made.at(-1) as DeadLetterRecord;
    expect(items.find((i) => i.id === newest.id)).toEqual({
      id: newest.id,
      triggerId: newest.triggerId,
      destination: "main-slack",
      reason: "HTTP 404: channel_not_found",
      attempts: 1,
      deadAt: new Date(base + 6000).toISOString(),
    });
  });

  it("answers exactly 50 items by default with a cursor when there are more, and a null cursor on the last page", async () => {
    const base = Date.now() - 120_000;
    await Promise.all(Array.from({ length: 51 }, (_, i) => makeDeadLetter(new Date(base + i), closeEvent())));
    const first = await admin("/dead-letters");
    expect(first.status).toBe(200);
    expect(Object.keys(first.body).sort()).toEqual(["cursor", "items"]);
    expect(first.body.items as unknown[]).toHaveLength(50);
    expect(first.body.cursor).toEqual(expect.any(String));
    // Walk to the end: every page but the last has a cursor, the last one null, no id twice.
    const seen = new Set<string>();
    let page = first;
    for (;;) {
      for (const item of page.body.items as Array<{ id: string }>) {
        expect(seen.has(item.id)).toBe(false);
        seen.add(item.id);
      }
      if (page.body.cursor === null) break;
      page = await admin(`/dead-letters?cursor=${encodeURIComponent(String(page.body.cursor))}`);
      expect(page.status).toBe(200);
    }
    expect(seen.size).toBeGreaterThanOrEqual(51);
  });

  it("lists a dead letter recorded twice once, with the later record", async () => {
    const event = closeEvent();
    const first = await makeDeadLetter(new Date(Date.now() - 5000), event);
    const second = await makeDeadLetter(new Date(), event);
    expect(second.id).toBe(first.id);
    const listed = (await listAll(100)).items.filter((i) => i.id === first.id);
    expect(listed).toEqual([expect.objectContaining({ deadAt: second.deadAt })]);
  });

  it.each([
    ["limit=0", "limit must be a whole number from 1 to 100"],
    ["limit=101", "limit must be a whole number from 1 to 100"],
    ["limit=-1", "limit must be a whole number from 1 to 100"],
    ["limit=1.5", "limit must be a whole number from 1 to 100"],
    ["limit=ten", "limit must be a whole number from 1 to 100"],
    ["limit=", "limit must be a whole number from 1 to 100"],
    ["cursor=", "invalid cursor: pass the cursor of a previous answer, or none for the first page"],
    ["cursor=%00%01", "invalid cursor: pass the cursor of a previous answer, or none for the first page"],
    [`cursor=${"a".repeat(2049)}`, "invalid cursor: pass the cursor of a previous answer, or none for the first page"],
  ])("answers 400 for ?%s", async (query, message) => {
    const r = await admin(`/dead-letters?${query}`);
    expect(r.status).toBe(400);
    expect(r.body).toEqual({ error: message });
  });

  it("answers 400, not 500, when KV refuses a cursor", async () => {
    const kv = {
      list: () => Promise.reject(new Error("KV LIST failed: 400 Invalid cursor")),
    };
    const cursor = cursorToken("not-a-kv-cursor");
    const r = await admin(`/dead-letters?cursor=${cursor}`, { env: { ...env, RELAY_STATE: kv } });
    expect(r.status).toBe(400);
    expect(r.body).toEqual({ error: "invalid or expired cursor: start again without one" });
    const first = await admin("/dead-letters", { env: { ...env, RELAY_STATE: kv } });
    expect(first.status).toBe(503);
  });
});

describe("GET and DELETE /admin/dead-letters/:id", () => {
  it("answers the summary plus last status, type, appCode, state and the event", async () => {
    const event = closeEvent({}, { note: "환불 요청" });
    const dead = await makeDeadLetter(new Date(), event);
    const r = await admin(`/dead-letters/${dead.id}`);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      id: dead.id,
      triggerId: event.triggerId,
      destination: "main-slack",
      reason: "HTTP 404: channel_not_found",
      attempts: 1,
      deadAt: dead.deadAt,
      lastStatus: 404,
      type: "session_state_close",
      appCode: "TEST_APP",
      state: "dead",
      replayedAt: null,
      event,
    });
  });

  it("deletes with 204, then the id is 404 and no longer listed", async () => {
    const dead = await makeDeadLetter(new Date());
    const r = await admin(`/dead-letters/${dead.id}`, { method: "DELETE" });
    expect(r.status).toBe(204);
    expect(await r.response.text()).toBe("");
    expect((await admin(`/dead-letters/${dead.id}`)).status).toBe(404);
    expect((await admin(`/dead-letters/${dead.id}`, { method: "DELETE" })).status).toBe(404);
    expect((await admin(`/dead-letters/${dead.id}/replay`, { method: "POST" })).status).toBe(404);
    expect(ids((await listAll(100)).items)).not.toContain(dead.id);
    expect(await env.RELAY_STATE.get(dead.indexKey)).toBeNull();
  });

  it.each(["GET", "DELETE"])("%s answers 404 for an unknown id", async (method) => {
    const r = await admin(`/dead-letters/${"a".repeat(32)}.main-slack`, { method });
    expect(r.status).toBe(404);
    expect(r.body).toEqual({ error: "no dead letter with this id (they are kept 30 days)" });
  });

  it.each([
    "nope",
    "a".repeat(32),
    `${"A".repeat(32)}.ops`,
    `${"a".repeat(31)}.ops`,
    `${"a".repeat(32)}.o%20ps`,
    `${"a".repeat(32)}.${"o".repeat(129)}`,
  ])("answers 400 for the malformed id %s", async (id) => {
    for (const [method, suffix] of [
      ["GET", ""],
      ["DELETE", ""],
      ["POST", "/replay"],
    ]) {
      const r = await admin(`/dead-letters/${id}${suffix}`, { method });
      expect(r.status, `${method} ${id}`).toBe(400);
      expect(r.body).toEqual({ error: "invalid dead letter id" });
    }
  });
});

describe("POST /admin/dead-letters/:id/replay", () => {
  it("puts exactly one message back, marks the letter replayed, and refuses a second replay", async () => {
    const dead = await makeDeadLetter(new Date());
    const queue = recordingQueue();
    const first = await admin(`/dead-letters/${dead.id}/replay`, {
      method: "POST",
      env: { ...env, DELIVERIES: queue },
    });
    expect(first.status).toBe(202);
    expect(first.body).toEqual({ status: "queued", id: dead.id, triggerId: dead.triggerId, destination: "main-slack" });
    expect(queue.sent).toEqual([dead.delivery]);

    const second = await admin(`/dead-letters/${dead.id}/replay`, {
      method: "POST",
      env: { ...env, DELIVERIES: queue },
    });
    expect(second.status).toBe(409);
    expect(queue.sent).toHaveLength(1);

    const r = await admin(`/dead-letters/${dead.id}`);
    expect(r.body).toMatchObject({ state: "replayed", replayedAt: expect.any(String) });
    expect(ids((await listAll(100)).items)).not.toContain(dead.id);
  });

  it("lets exactly one of two concurrent replays through", async () => {
    const dead = await makeDeadLetter(new Date());
    const queue = recordingQueue();
    const answers = await Promise.all(
      [1, 2].map(() =>
        admin(`/dead-letters/${dead.id}/replay`, { method: "POST", env: { ...env, DELIVERIES: queue } }),
      ),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([202, 409]);
    expect(queue.sent).toHaveLength(1);
  });

  it("delivers a replayed dead letter once to the receiver, with a fresh attempt count", async () => {
    const event = closeEvent();
    await script(event.triggerId, [{ status: 404, body: "channel_not_found" }, { status: 200 }]);
    expect((await post(event)).status).toBe(202);
    const id = deliveryId({ eventKey: await eventKey("TEST_APP", event.triggerId), destination: "main-slack" });
    const dead = await waitFor(
      async () => {
        const r = await admin(`/dead-letters/${id}`);
        return r.status === 200 ? r.body : undefined;
      },
      15_000,
      "the dead letter",
    );
    expect(dead).toMatchObject({ state: "dead", lastStatus: 404, attempts: 1 });
    expect(await received(event.triggerId)).toEqual([]);

    expect((await admin(`/dead-letters/${id}/replay`, { method: "POST" })).status).toBe(202);
    expect(await receivedAtLeast(event.triggerId, 1)).toHaveLength(1);
    const deliveries = await waitFor(async () => {
      const r = await admin(`/deliveries?triggerId=${encodeURIComponent(event.triggerId)}`);
      const [e] = r.body.events as Array<{ destinations: Array<{ state: string }> }>;
      return e?.destinations[0]?.state === "delivered" ? e.destinations : undefined;
    });
    expect(deliveries).toEqual([
      expect.objectContaining({ destination: "main-slack", state: "delivered", attempts: 1, lastStatus: 200 }),
    ]);

    const again = await admin(`/dead-letters/${id}/replay`, { method: "POST" });
    expect(again.status).toBe(409);
    expect(again.body).toEqual({ error: "not dead any more: already replayed (or delivered since); nothing queued" });
    await new Promise((r) => setTimeout(r, 500));
    expect(await received(event.triggerId)).toHaveLength(1);
  });

  it("restores an expired stored copy of a large event from the dead letter", async () => {
    const event = closeEvent();
    const delivery = {
      ...(await deliveryOf(event)),
      payload: { kv: payloadKey(await eventKey("TEST_APP", event.triggerId)) },
    };
    await env.RELAY_STATE.put(delivery.payload.kv, JSON.stringify(event));
    const dead = await recordDeadLetter(env, {
      kind: "dead-letter",
      delivery,
      reason: "HTTP 404",
      attempts: 1,
      lastStatus: 404,
      deadAt: new Date().toISOString(),
    });
    await env.RELAY_STATE.delete(delivery.payload.kv);
    const queue = recordingQueue();
    const r = await admin(`/dead-letters/${dead.id}/replay`, { method: "POST", env: { ...env, DELIVERIES: queue } });
    expect(r.status).toBe(202);
    expect(queue.sent).toEqual([delivery]);
    expect(await env.RELAY_STATE.get(delivery.payload.kv)).toBe(JSON.stringify(event));
  });

  it("answers 410 when the event body is gone, and queues nothing", async () => {
    const event = closeEvent();
    const delivery = { ...(await deliveryOf(event)), payload: { kv: `payload:gone-${crypto.randomUUID()}` } };
    const dead = await recordDeadLetter(env, {
      kind: "dead-letter",
      delivery,
      reason: "the stored event body has expired",
      attempts: 1,
      lastStatus: null,
      deadAt: new Date().toISOString(),
    });
    expect(dead.event).toBeNull();
    const queue = recordingQueue();
    const r = await admin(`/dead-letters/${dead.id}/replay`, { method: "POST", env: { ...env, DELIVERIES: queue } });
    expect(r.status).toBe(410);
    expect(r.body).toEqual({ error: "the event body is no longer stored; nothing to replay" });
    expect(queue.sent).toEqual([]);
  });

  it("answers 409 when the destination is no longer configured", async () => {
    const dead = await makeDeadLetter(new Date(), closeEvent(), "removed-slack");
    const queue = recordingQueue();
    const r = await admin(`/dead-letters/${dead.id}/replay`, { method: "POST", env: { ...env, DELIVERIES: queue } });
    expect(r.status).toBe(409);
    expect(r.body).toEqual({ error: 'destination "removed-slack" is no longer in the routing config' });
    expect(queue.sent).toEqual([]);
  });

  it("answers 500 while the routing config is invalid, and queues nothing", async () => {
    const dead = await makeDeadLetter(new Date());
    const queue = recordingQueue();
    const broken = { ...env, ROUTING: { destinations: {}, fallback: ["nowhere"] }, DELIVERIES: queue };
    const r = await admin(`/dead-letters/${dead.id}/replay`, { method: "POST", env: broken });
    expect(r.status).toBe(500);
    expect(r.body).toEqual({ error: "relay misconfigured" });
    expect(queue.sent).toEqual([]);
    expect((await admin(`/dead-letters/${dead.id}`)).body).toMatchObject({ state: "dead" });
  });

  it("answers 503 when the queue fails, and leaves the letter dead and replayable", async () => {
    const dead = await makeDeadLetter(new Date());
    const down = await admin(`/dead-letters/${dead.id}/replay`, {
      method: "POST",
      env: { ...env, DELIVERIES: recordingQueue(true) },
    });
    expect(down.status).toBe(503);
    expect(down.body).toEqual({ error: "temporarily unavailable, retry later" });
    expect((await admin(`/dead-letters/${dead.id}`)).body).toMatchObject({ state: "dead" });
    expect(ids((await listAll(100)).items)).toContain(dead.id);
    const queue = recordingQueue();
    const r = await admin(`/dead-letters/${dead.id}/replay`, { method: "POST", env: { ...env, DELIVERIES: queue } });
    expect(r.status).toBe(202);
    expect(queue.sent).toHaveLength(1);
    expect(await env.RELAY_STATE.get(deadLetterKey(dead.id), "json")).toMatchObject({ state: "replayed" });
  });
});
