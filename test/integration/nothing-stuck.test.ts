// "Nothing stuck" (issue 13): a delivery whose queue message is lost is queued
// again by its claim object's alarm once the grace period has passed, and is
// delivered once. The alarm is run with runDurableObjectAlarm; the passing of
// the grace period is simulated by moving the object's stored times back.
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { claimsFor } from "../../src/delivery/claims.ts";
import { GRACE_MS } from "../../src/delivery/pending.ts";
import { acceptEvent } from "../../src/ingest/accept.ts";
import type { SessionState } from "../../src/sessions/object.ts";
import { sessionFor } from "../../src/sessions/stub.ts";
import { eventKey } from "../../src/storage/event-key.ts";
import { recordingQueue } from "../support/admin.ts";
import { TAG } from "../support/ids.ts";
import { consume } from "../support/queue.ts";
import {
  closeEvent,
  gitpleId,
  received,
  receivedAtLeast,
  receivedExactly,
  signedRequest,
  uniqueId,
  waitFor,
} from "../support/worker.ts";

const ctx = { waitUntil() {}, passThroughOnException() {}, props: {} };

/** Accepts the event with its queue messages dropped (recorded, never sent); resolves to what was dropped. */
async function acceptDropped(event: ReturnType<typeof closeEvent>): Promise<unknown[]> {
  const queue = recordingQueue();
  const { default: relay } = await import("../../src/index.ts");
  const response = await relay.fetch(
    await signedRequest(event),
    { ...env, DELIVERIES: queue } as unknown as Env,
    ctx as never,
  );
  expect(response.status).toBe(202);
  return queue.sent;
}

/** Moves every stored time of the object `ms` into the past, as if that long had passed. */
async function age(stub: DurableObjectStub, ms: number): Promise<void> {
  await runInDurableObject(stub, (_o, state) => {
    for (const column of ["updated_at", "accepted_at", "lease_until", "not_before"]) {
      state.storage.sql.exec(`UPDATE deliveries SET ${column} = ${column} - ? WHERE ${column} > 0`, ms);
    }
  });
}

const alarmOf = (stub: DurableObjectStub) => runInDurableObject(stub, (_o, state) => state.storage.getAlarm());

describe("a delivery whose queue message was lost", () => {
  it("is queued again after the grace period and delivered once; nothing is sent before that", async () => {
    const event = closeEvent();
    const dropped = await acceptDropped(event);
    expect(dropped).toHaveLength(1);
    const claims = claimsFor(env, await eventKey("TEST_APP", event.triggerId));
    const alarm = await alarmOf(claims);
    expect(alarm).toBeGreaterThan(Date.now());
    expect(alarm).toBeLessThanOrEqual(Date.now() + GRACE_MS);

    // Early (within the grace period): the alarm re-enqueues nothing.
    expect(await runDurableObjectAlarm(claims)).toBe(true);
    await new Promise((r) => setTimeout(r, 500));
    expect(await received(event.triggerId)).toEqual([]);

    await age(claims, GRACE_MS + 1000);
    expect(await runDurableObjectAlarm(claims)).toBe(true);
    const posts = await receivedAtLeast(event.triggerId, 1);
    expect(posts).toHaveLength(1);
    const states = await waitFor(async () => {
      const rows = await claims.states();
      return rows[0]?.state === "delivered" ? rows : undefined;
    });
    expect(states).toEqual([expect.objectContaining({ destination: "main-slack", state: "delivered", attempts: 1 })]);

    // Delivered: the alarm now waits for the retention deadline, and running it re-enqueues nothing.
    const retention = await waitFor(async () => {
      const at = await alarmOf(claims);
      return at !== null && at > Date.now() + 29 * 24 * 3600 * 1000 ? at : undefined;
    });
    expect(retention).toBeGreaterThan(Date.now());
    // The lost message turning up after all posts nothing either.
    expect((await consume(dropped)).acked).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 500));
    expect(await received(event.triggerId)).toHaveLength(1);
  });

  it("is queued again once per grace period while no attempt arrives, and posts once", async () => {
    const event = closeEvent({}, { tags: [TAG.vip] });
    const dropped = await acceptDropped(event);
    expect(dropped).toHaveLength(2);
    const claims = claimsFor(env, await eventKey("TEST_APP", event.triggerId));
    // Hold the queue back too: the re-enqueued copies go nowhere, twice.
    const resent = recordingQueue();
    await runInDurableObject(claims, (instance) => {
      (instance as unknown as { env: Env }).env = { ...env, DELIVERIES: resent } as unknown as Env;
    });
    await age(claims, GRACE_MS + 1000);
    await runDurableObjectAlarm(claims);
    expect(resent.sent).toHaveLength(2);
    // Just re-enqueued: not due again until another grace period has passed.
    await runDurableObjectAlarm(claims);
    expect(resent.sent).toHaveLength(2);
    await age(claims, GRACE_MS + 1000);
    await runDurableObjectAlarm(claims);
    expect(resent.sent).toHaveLength(4);
    // Every copy (the lost originals and the re-enqueued ones) reaches the consumer: one post per destination.
    await consume([...dropped, ...resent.sent]);
    const posts = await receivedAtLeast(event.triggerId, 2);
    expect(posts.map((p) => p.path).sort()).toEqual(["/hook/main", "/hook/vip"]);
  });
});

describe("a timer notice whose queue message was lost", () => {
  it("is queued again by its claim object after the grace period and delivered once per destination", async () => {
    const timers = [
      {
        name: "stuck",
        start: "session_state_open",
        after: "1h",
        destinations: ["main-slack", "webhook"],
        tags: { any: [TAG.timer] },
      },
    ];
    const timerEnv = { ...env, ROUTING: { ...(env.ROUTING as object), timers } } as unknown as Env;
    const s = gitpleId();
    const open = closeEvent(
      { type: "session_state_open", triggerId: uniqueId("open") },
      { id: s, tags: [TAG.timer], openTime: new Date().toISOString(), closeTime: undefined },
    );
    expect((await acceptEvent(await signedRequest(open), timerEnv)).ok).toBe(true);
    const session = sessionFor(env, "TEST_APP", s);
    // An hour on, the alarm fires into a queue that loses its messages (a local queue across a restart).
    const dropped = recordingQueue();
    await runInDurableObject(session, (o: SessionState, state) => {
      (o as unknown as { env: Env }).env = { ...env, DELIVERIES: dropped } as unknown as Env;
      state.storage.sql.exec(
        "UPDATE timers SET started_at = started_at - 3600000, next_fire_at = next_fire_at - 3600000",
      );
    });
    expect(await runDurableObjectAlarm(session)).toBe(true);
    expect(dropped.sent).toHaveLength(2);
    const triggerId = `timer:stuck:${s}:1`;
    const claims = claimsFor(env, await eventKey("TEST_APP", triggerId));
    const alarm = await alarmOf(claims);
    expect(alarm).toBeGreaterThan(Date.now());
    expect(alarm).toBeLessThanOrEqual(Date.now() + GRACE_MS);
    await new Promise((r) => setTimeout(r, 500));
    expect(await received(triggerId)).toEqual([]);

    await age(claims, GRACE_MS + 1000);
    expect(await runDurableObjectAlarm(claims)).toBe(true);
    const got = await receivedExactly(triggerId, 2);
    expect(got.map((r) => r.path).sort()).toEqual(["/hook/main", "/hook/webhook"]);
    // The lost messages turning up after all post nothing more.
    await consume(dropped.sent);
    expect(await receivedExactly(triggerId, 2)).toHaveLength(2);
  });
});
