// Quiet hours (issue 14): the consumer holds a delivery for a destination
// inside a window in the destination's holding object, acks the queue message
// once the hold is stored, and at the window's end (the object's alarm, run
// with the test helper after moving `until` back) defers each held delivery
// back through the queue, or sends one digest. The windows here cover every
// day, so "now" is always quiet; the window arithmetic has its own unit tests.
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { claimsFor } from "../../src/delivery/claims.ts";
import { GRACE_MS } from "../../src/delivery/pending.ts";
import { type DeliveryHolds, holdsFor } from "../../src/holds/object.ts";
import relay from "../../src/index.ts";
import { acceptEvent } from "../../src/ingest/accept.ts";
import { sessionFor } from "../../src/sessions/stub.ts";
import type { DeliveryMessage } from "../../src/storage/delivery-message.ts";
import { enqueueNotice } from "../../src/storage/notice.ts";
import { trackAccepted } from "../../src/storage/tracking.ts";
import { admin, recordingQueue } from "../support/admin.ts";
import { TAG } from "../support/ids.ts";
import { consume, deliveryFor, deliveryStates } from "../support/queue.ts";
import type { TEST_ROUTING } from "../support/test-env.ts";
import {
  closeEvent,
  gitpleId,
  received,
  receivedAtLeast,
  signedRequest,
  uniqueId,
  waitFor,
} from "../support/worker.ts";

const ALWAYS = [{ days: ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] }];
const routing = env.ROUTING as unknown as typeof TEST_ROUTING;

function quietEnv(destination: string, during: "defer" | "digest", rules = routing.rules) {
  const destinations = {
    ...routing.destinations,
    [destination]: { ...routing.destinations[destination as "main-slack"], quiet_hours: ALWAYS, during_quiet: during },
  };
  return { ...env, ROUTING: { ...routing, destinations, rules } } as unknown as Env;
}

async function endWindow(destination: string): Promise<void> {
  const holds = holdsFor(env, destination);
  await runInDurableObject(holds, (_o: DeliveryHolds, state) => {
    state.storage.sql.exec("UPDATE held SET until = ?", Date.now() - 1000);
  });
  expect(await runDurableObjectAlarm(holds)).toBe(true);
}

const ctx = { waitUntil() {}, passThroughOnException() {}, props: {} };

/** Accepts the event through the real ingest (its claim object records it); resolves to its queued messages. */
async function ingest(event: ReturnType<typeof closeEvent>): Promise<DeliveryMessage[]> {
  const queue = recordingQueue();
  const response = await relay.fetch(await signedRequest(event), { ...env, DELIVERIES: queue } as never, ctx as never);
  expect(response.status).toBe(202);
  return queue.sent as DeliveryMessage[];
}

/** Gives a Durable Object instance another DELIVERIES queue (kept while the instance lives). */
async function queueOf(stub: DurableObjectStub, queue: unknown): Promise<void> {
  await runInDurableObject(stub, (o) => {
    (o as unknown as { env: Env }).env = { ...env, DELIVERIES: queue } as unknown as Env;
  });
}

/** Events of `type` routed by their tags (no tags: the fallback, ops), one session each. */
const routed = (n: number, tags: string[], type = "session_state_inprogress") =>
  Array.from({ length: n }, (_, i) => closeEvent({ type }, { id: uniqueId(`routed${i}`), tags }));

/** The rows held for `destination` (a snapshot, to put back). */
const heldRows = (destination: string) =>
  runInDurableObject(holdsFor(env, destination), (_o: DeliveryHolds, state) =>
    state.storage.sql.exec("SELECT * FROM held").toArray(),
  );

const alarmAt = (stub: DurableObjectStub) => runInDurableObject(stub, (_o, state) => state.storage.getAlarm());

const events = (n: number, note: string) =>
  Array.from({ length: n }, (_, i) => closeEvent({}, { id: uniqueId(`quiet${i}`), note: `${note} ${i}\nsecond line` }));

describe("quiet hours", () => {
  it("defer: holds every notice, then delivers each once, in order, saying when it happened", async () => {
    const runEnv = quietEnv("main-slack", "defer");
    const list = events(3, "deferred");
    const messages = await Promise.all(list.map((e) => deliveryFor("main-slack", e)));
    for (const m of messages) {
      const result = await consume([m], runEnv);
      expect(result.acked).toHaveLength(1);
      expect(await holdsFor(env, "main-slack").heldUntil(m.eventKey)).toBeGreaterThan(Date.now());
    }
    // a redelivered copy is held once
    await consume([messages[0]], runEnv);
    await new Promise((r) => setTimeout(r, 500));
    for (const e of list) expect(await received(e.session.id)).toEqual([]);

    await endWindow("main-slack");
    const got = [];
    for (const e of list) {
      const r = await receivedAtLeast(e.session.id, 1, 15_000);
      expect(r).toHaveLength(1);
      expect(r[0]?.body).toContain("held for quiet hours until");
      got.push(r[0]?.at ?? 0);
    }
    expect([...got].sort((a, b) => a - b)).toEqual(got);
    await runDurableObjectAlarm(holdsFor(env, "main-slack")); // an alarm run again sends nothing more
    await new Promise((r) => setTimeout(r, 800));
    for (const e of list) expect(await received(e.session.id)).toHaveLength(1);
    expect(await holdsFor(env, "main-slack").count()).toBe(0);
  });

  it("digest: one message listing every held event, each counted delivered", async () => {
    const runEnv = quietEnv("second-slack", "digest");
    const list = events(3, "digested");
    for (const e of list) await consume([await deliveryFor("second-slack", e)], runEnv);
    await endWindow("second-slack");
    const digest = await receivedAtLeast("Held during quiet hours: 3 notices", 1, 15_000);
    expect(digest).toHaveLength(1);
    for (const e of list) {
      expect(digest[0]?.body).toContain(e.session.id);
      expect(digest[0]?.body).not.toContain("second line");
      expect(await deliveryStates(e.triggerId)).toMatchObject([{ destination: "second-slack", state: "delivered" }]);
      expect((await received(e.session.id)).length).toBe(1); // the digest only
    }
  });

  it("a hold survives a restart of its object: still delivered, once each, when the window ends", async () => {
    const runEnv = quietEnv("vip-slack", "defer");
    const list = events(2, "restarted");
    for (const e of list) expect((await consume([await deliveryFor("vip-slack", e)], runEnv)).acked).toHaveLength(1);
    const holds = holdsFor(env, "vip-slack");
    await expect(
      runInDurableObject(holds, (_o: DeliveryHolds, state) => {
        state.abort("restart");
      }),
    ).rejects.toThrow();
    // A new instance of the object, from its storage: the held rows and the alarm are still there.
    const again = holdsFor(env, "vip-slack");
    expect(await again.count()).toBeGreaterThanOrEqual(2);
    await endWindow("vip-slack");
    for (const e of list) {
      const r = await receivedAtLeast(e.session.id, 1, 15_000);
      expect(r).toHaveLength(1);
      expect(r[0]?.body).toContain("held for quiet hours until");
    }
  });

  it("digest: more than 50 held shows 50 and counts the rest; every one counted delivered", async () => {
    const runEnv = quietEnv("webhook", "digest");
    const list = events(53, "many");
    const messages = await Promise.all(list.map((e) => deliveryFor("webhook", e)));
    for (let i = 0; i < messages.length; i += 10) await consume(messages.slice(i, i + 10), runEnv);
    expect(await holdsFor(env, "webhook").count()).toBe(53);
    await endWindow("webhook");
    const [digest] = await receivedAtLeast('"type":"quiet_digest"', 1, 15_000);
    const body = JSON.parse(digest?.body ?? "{}");
    expect(body.held.count).toBe(53);
    expect(body.held.events).toHaveLength(50);
    const lines = (body.message.content as string).split("\n");
    expect(lines).toHaveLength(51);
    expect(lines.filter((l) => l.startsWith("• session_state_close · "))).toHaveLength(50);
    expect(lines[50]).toBe("… and 3 more");
    for (const e of list) {
      expect(await deliveryStates(e.triggerId)).toMatchObject([{ destination: "webhook", state: "delivered" }]);
    }
    expect(await holdsFor(env, "webhook").count()).toBe(0);
  });

  it("an urgent rule's notice ignores quiet hours", async () => {
    const rules = routing.rules.map((r) => (r.name === "closes" ? { ...r, urgent: true } : r));
    const runEnv = quietEnv("main-slack", "defer", rules);
    const [e] = events(1, "urgent");
    const m = await deliveryFor("main-slack", e);
    await consume([m], runEnv);
    expect(await received(e?.session.id ?? "")).toHaveLength(1);
    expect(await holdsFor(env, "main-slack").heldUntil(m.eventKey)).toBeNull();
  });

  it("GET /admin/deliveries shows a held destination as held, until the window's end", async () => {
    const runEnv = quietEnv("gchat", "defer");
    const [e] = events(1, "tracked");
    if (!e) throw new Error("no event");
    const m = await deliveryFor("gchat", e);
    await trackAccepted(env.RELAY_STATE, { ...m, destinations: ["gchat"] }, 3600);
    await consume([m], runEnv);
    const until = await holdsFor(env, "gchat").heldUntil(m.eventKey);
    expect(until).not.toBeNull();
    const answer = await admin(`/deliveries?triggerId=${encodeURIComponent(e.triggerId)}`);
    expect(answer.status).toBe(200);
    const events_ = answer.body.events as { destinations: Record<string, unknown>[] }[];
    expect(events_[0]?.destinations[0]).toMatchObject({
      destination: "gchat",
      state: "held",
      until: new Date(until ?? 0).toISOString(),
    });
  });

  it("a held delivery's claim re-sends nothing during the hold; the release delivers it once, held line and all", async () => {
    const runEnv = quietEnv("discord", "defer");
    const event = closeEvent({ type: "session_state_inprogress" }, { id: uniqueId("claimed"), tags: [TAG.discord] });
    const [m, ...others] = await ingest(event);
    expect(others).toEqual([]);
    if (!m) throw new Error("not queued");
    expect((await consume([m], runEnv)).acked).toHaveLength(1);
    const claims = claimsFor(env, m.eventKey);
    const resent = recordingQueue();
    await queueOf(claims, resent);
    // An hour into the window: far past the grace period since the accept, still held.
    await runInDurableObject(claims, (_o, state) => {
      state.storage.sql.exec("UPDATE deliveries SET accepted_at = accepted_at - ?", GRACE_MS + 3_600_000);
    });
    expect(await runDurableObjectAlarm(claims)).toBe(true);
    expect(resent.sent).toEqual([]);
    expect((await admin(`/deliveries?triggerId=${encodeURIComponent(event.triggerId)}`)).body).toMatchObject({
      events: [{ destinations: [{ destination: "discord", state: "held", until: expect.any(String) }] }],
    });

    await endWindow("discord");
    const got = await receivedAtLeast(event.session.id, 1, 15_000);
    expect(got).toHaveLength(1);
    expect(got[0]?.body).toContain("held for quiet hours until");
    await runDurableObjectAlarm(claims);
    await new Promise((r) => setTimeout(r, 500));
    expect(resent.sent).toEqual([]);
    expect(await received(event.session.id)).toHaveLength(1);
  });

  it("a held delivery whose release was lost is re-sent by its claim after the window, with its held line", async () => {
    const runEnv = quietEnv("teams", "defer");
    const event = closeEvent({ type: "session_state_inprogress" }, { id: uniqueId("lost"), tags: [TAG.teams] });
    const [m] = await ingest(event);
    if (!m) throw new Error("not queued");
    await consume([m], runEnv);
    const until = await holdsFor(env, "teams").heldUntil(m.eventKey);
    const claims = claimsFor(env, m.eventKey);
    const resent = recordingQueue();
    await queueOf(claims, resent);
    // The window ended a grace period ago and no release came.
    await runInDurableObject(claims, (_o, state) => {
      const back = (until ?? 0) - Date.now() + GRACE_MS + 1000;
      state.storage.sql.exec(
        "UPDATE deliveries SET accepted_at = accepted_at - ?, not_before = not_before - ?",
        back,
        back,
      );
    });
    expect(await runDurableObjectAlarm(claims)).toBe(true);
    expect(resent.sent).toEqual([{ ...m, heldUntil: new Date(until ?? 0).toISOString() }]);
  });

  it("digest mode: a scheduled digest held for quiet hours is deferred whole, never listed in the summary", async () => {
    const runEnv = quietEnv("ops", "digest");
    const name = uniqueId("quiet-digest");
    const triggerId = `digest:${name}:${new Date().toISOString()}`;
    const none = { medianSeconds: null, p90Seconds: null };
    const figures = {
      digest: name,
      period: { from: new Date(Date.now() - 86_400_000).toISOString(), to: new Date().toISOString() },
      sessions: { opened: 0, closed: 0 },
      closedByReason: {},
      tags: [],
      categories: [],
      firstAssignment: { ...none, longest: [] },
      handling: none,
      timersFired: 0,
      deadLetters: 0,
    };
    const queue = recordingQueue();
    // As src/digests/object.ts queues a scheduled send.
    await enqueueNotice(
      { ...env, DELIVERIES: queue } as never,
      { type: "digest", triggerId, ctime: figures.period.to, digest: figures } as never,
      ["ops"],
    );
    const event = closeEvent({ type: "session_state_inprogress" }, { id: uniqueId("beside"), tags: [] });
    const messages = [...(queue.sent as DeliveryMessage[]), ...(await ingest(event))];
    expect(messages.map((m) => [m.type, m.destination])).toEqual([
      ["digest", "ops"],
      ["session_state_inprogress", "ops"],
    ]);
    for (const m of messages) expect((await consume([m], runEnv)).acked).toHaveLength(1);
    expect(await holdsFor(env, "ops").count()).toBe(2);

    await endWindow("ops");
    const [digest, ...more] = await receivedAtLeast(`Digest ${name}: no sessions`, 1, 15_000);
    expect(more).toEqual([]);
    expect(digest?.body).not.toContain("Held during quiet hours");
    const [summary] = await receivedAtLeast("Held during quiet hours: 1 ", 1, 15_000);
    expect(summary?.body).toContain(event.session.id);
    expect(summary?.body).not.toContain(name);
    expect(await claimsFor(env, messages[0]?.eventKey ?? "").states()).toMatchObject([
      { destination: "ops", state: "delivered", attempts: 1 },
    ]);
  });

  it("defer: releases in the order the events were accepted, one at a time, whatever order they were held in", async () => {
    const runEnv = quietEnv("webhook-envelope", "defer");
    const list = routed(3, [TAG.webhookEnvelope]);
    const messages: DeliveryMessage[] = [];
    for (const e of list) {
      messages.push(...(await ingest(e)));
      await new Promise((r) => setTimeout(r, 5));
    }
    expect(messages).toHaveLength(3);
    // Held out of accepted order: the last accepted first (a retry into the window, a slow consumer).
    for (const i of [2, 0, 1]) expect((await consume([messages[i]], runEnv)).acked).toHaveLength(1);
    const holds = holdsFor(env, "webhook-envelope");
    const queue = recordingQueue();
    await queueOf(holds, queue);
    await endWindow("webhook-envelope");
    // The next one is queued only once the consumer has made its attempt at the one before: no reliance on Queues' order.
    const sent = queue.sent as DeliveryMessage[];
    for (let i = 0; i < 3; i++) {
      expect(sent.map((m) => m.triggerId)).toEqual(list.slice(0, i + 1).map((e) => e.triggerId));
      expect(sent[i]?.heldUntil).toBeDefined();
      expect((await consume([sent[i]], runEnv)).acked).toHaveLength(1);
    }
    expect(sent).toHaveLength(3);
    const at = [];
    for (const e of list) {
      const got = await receivedAtLeast(e.session.id, 1);
      expect(got).toHaveLength(1);
      at.push(got[0]?.at ?? 0);
    }
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    expect(await holds.count()).toBe(0);
  });

  it("digest: a hold that comes with the same `until` after a release gets a summary of its own; an alarm run again sends none", async () => {
    const runEnv = quietEnv("webhook-signed", "digest");
    const [a, b, late] = routed(3, [TAG.webhookSigned]);
    if (!a || !b || !late) throw new Error("no events");
    const until = Date.now() - 1000;
    const release = async () => {
      await runInDurableObject(holdsFor(env, "webhook-signed"), (_o: DeliveryHolds, state) => {
        state.storage.sql.exec("UPDATE held SET until = ?", until);
      });
      expect(await runDurableObjectAlarm(holdsFor(env, "webhook-signed"))).toBe(true);
    };
    for (const e of [a, b]) for (const m of await ingest(e)) await consume([m], runEnv);
    await release();
    const [first] = await receivedAtLeast(a.session.id, 1, 15_000);
    expect(first?.body).toContain(b.session.id);

    for (const m of await ingest(late)) await consume([m], runEnv);
    const rows = await heldRows("webhook-signed");
    await release();
    const [second, ...more] = await receivedAtLeast(late.session.id, 1, 15_000);
    expect(more).toEqual([]);
    expect(JSON.parse(second?.body ?? "{}").held).toMatchObject({ count: 1 });
    expect(JSON.parse(second?.body ?? "{}").triggerId).not.toBe(JSON.parse(first?.body ?? "{}").triggerId);
    expect(await deliveryStates(late.triggerId)).toMatchObject([{ destination: "webhook-signed", state: "delivered" }]);

    // The alarm runs again over the same rows (at least once; a crash before it deleted them): no second summary.
    await runInDurableObject(holdsFor(env, "webhook-signed"), async (_o: DeliveryHolds, state) => {
      for (const r of rows) state.storage.sql.exec("INSERT INTO held VALUES (?, ?, ?, ?, ?, ?)", ...Object.values(r));
      await state.storage.setAlarm(until);
    });
    await release();
    await new Promise((r) => setTimeout(r, 800));
    expect(await received(late.session.id)).toHaveLength(1);
    expect(await received(a.session.id)).toHaveLength(1);
  });

  it("a queue failing at the window's end keeps the rows and re-arms the alarm, backing off; then each goes once", async () => {
    const runEnv = quietEnv("ops", "defer");
    const list = routed(2, []);
    for (const e of list) for (const m of await ingest(e)) expect((await consume([m], runEnv)).acked).toHaveLength(1);
    const holds = holdsFor(env, "ops");
    expect(await holds.count()).toBe(2);
    await queueOf(holds, recordingQueue(true));
    await endWindow("ops");
    expect(await holds.count()).toBe(2);
    const first = (await alarmAt(holds)) ?? 0;
    expect(first - Date.now()).toBeGreaterThan(30_000);
    expect(await runDurableObjectAlarm(holds)).toBe(true);
    expect(((await alarmAt(holds)) ?? 0) - Date.now()).toBeGreaterThan(first - Date.now() + 30_000);
    expect(await holds.count()).toBe(2);

    await queueOf(holds, env.DELIVERIES);
    expect(await runDurableObjectAlarm(holds)).toBe(true);
    for (const e of list) {
      const got = await receivedAtLeast(e.session.id, 1, 15_000);
      expect(got).toHaveLength(1);
      expect(got[0]?.body).toContain("held for quiet hours until");
    }
    expect(await waitFor(async () => ((await holds.count()) === 0 ? true : undefined))).toBe(true);
  });
});

describe("quiet hours and timers", () => {
  const TIMERS = [false, true].map((urgent) => ({
    name: urgent ? "quiet-urgent" : "quiet-timer",
    start: "session_state_open",
    stop: ["session_state_close"],
    after: "1h",
    destinations: ["discord"],
    tags: { any: [urgent ? TAG.timerRepeat : TAG.timer] },
    ...(urgent && { urgent }),
  }));
  const runEnv = () => {
    const quiet = quietEnv("discord", "defer") as unknown as { ROUTING: object };
    return { ...quiet, ROUTING: { ...quiet.ROUTING, timers: TIMERS } } as unknown as Env;
  };

  /** Sets the session's timer through the real ingest, fires it an hour later; resolves to the notices it queued. */
  async function fired(tag: string): Promise<DeliveryMessage[]> {
    const s = gitpleId();
    const open = closeEvent({ type: "session_state_open" }, { id: s, tags: [tag], closeTime: undefined });
    const accepted = await acceptEvent(await signedRequest(open), {
      ...runEnv(),
      DELIVERIES: recordingQueue(),
    } as never);
    expect(accepted.ok).toBe(true);
    const session = sessionFor(env, "TEST_APP", s);
    await runInDurableObject(session, (_o, state) => {
      state.storage.sql.exec(
        "UPDATE timers SET started_at = started_at - ?, next_fire_at = next_fire_at - ?",
        3_600_000,
        3_600_000,
      );
    });
    const queue = recordingQueue();
    await queueOf(session, queue);
    expect(await runDurableObjectAlarm(session)).toBe(true);
    return queue.sent as DeliveryMessage[];
  }

  it("a timer's notice to a destination in quiet hours is held", async () => {
    const [m, ...more] = await fired(TAG.timer);
    expect(more).toEqual([]);
    if (!m) throw new Error("no notice");
    expect(m).toMatchObject({ type: "timer", destination: "discord" });
    expect((await consume([m], runEnv())).acked).toHaveLength(1);
    expect(await holdsFor(env, "discord").heldUntil(m.eventKey)).toBeGreaterThan(Date.now());
    await new Promise((r) => setTimeout(r, 300));
    expect(await received(m.triggerId)).toEqual([]);
  });

  it("an urgent timer's notice (urgent = true on the timer) is sent at once", async () => {
    const [m] = await fired(TAG.timerRepeat);
    if (!m) throw new Error("no notice");
    expect((await consume([m], runEnv())).acked).toHaveLength(1);
    expect(await holdsFor(env, "discord").heldUntil(m.eventKey)).toBeNull();
    expect(await receivedAtLeast(m.triggerId, 1)).toHaveLength(1);
  });
});
