// Timers (issue 14): a notice when a session's next event is late. Events go
// through the real ingest (acceptEvent with a config that has timers), the
// session's Durable Object arms and stops, its alarm is run with the test
// helper after moving the stored times back (no sleeping), and the notices
// travel the real DELIVERIES queue and consumer to the fake receiver.
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { acceptEvent } from "../../src/ingest/accept.ts";
import type { SessionState } from "../../src/sessions/object.ts";
import { sessionFor } from "../../src/sessions/stub.ts";
import { recordingQueue } from "../support/admin.ts";
import { TAG } from "../support/ids.ts";
import {
  closeEvent,
  gitpleId,
  received,
  receivedAtLeast,
  receivedExactly,
  signedRequest,
  uniqueId,
} from "../support/worker.ts";

const HOUR = 3_600_000;
const TIMERS = [
  {
    name: "unassigned",
    start: "session_state_open",
    stop: ["session_state_inprogress", "session_state_close"],
    after: "1h",
    destinations: ["main-slack", "webhook"],
    tags: { any: [TAG.timer] },
  },
  {
    name: "unassigned-repeat",
    start: "session_state_open",
    stop: ["session_state_inprogress", "session_state_close"],
    after: "1h",
    repeat: "10m",
    destinations: ["webhook"],
    tags: { any: [TAG.timerRepeat] },
  },
];
const timerEnv = { ...env, ROUTING: { ...(env.ROUTING as object), timers: TIMERS } } as unknown as Env;

function sessionEvent(type: string, sessionId: string, tags: string[] = [TAG.timer]) {
  // Opened now, as Gitple says in `openTime` (a timer's wait counts from it).
  const openTime = new Date().toISOString();
  return closeEvent({ type, triggerId: uniqueId(type) }, { id: sessionId, tags, openTime, closeTime: undefined });
}

async function send(type: string, sessionId: string, tags?: string[]) {
  const result = await acceptEvent(await signedRequest(sessionEvent(type, sessionId, tags)), timerEnv);
  expect(result.ok).toBe(true);
}

const stubOf = (sessionId: string): DurableObjectStub<SessionState> => sessionFor(env, "TEST_APP", sessionId);

/** Moves every stored time of the session's timers `ms` into the past, as if that long had gone by. */
async function elapse(sessionId: string, ms: number): Promise<void> {
  await runInDurableObject(stubOf(sessionId), (_o: SessionState, state) => {
    state.storage.sql.exec("UPDATE timers SET started_at = started_at - ?, next_fire_at = next_fire_at - ?", ms, ms);
  });
}

const fire = (sessionId: string) => runDurableObjectAlarm(stubOf(sessionId));
const trigger = (name: string, sessionId: string, firing: number) => `timer:${name}:${sessionId}:${firing}`;
const settle = () => new Promise((r) => setTimeout(r, 1500));

/** Gives the session's object this DELIVERIES binding (a fake queue), as if the queue were down or back. */
async function useQueue(sessionId: string, queue: unknown): Promise<void> {
  await runInDurableObject(stubOf(sessionId), (o: SessionState) => {
    (o as unknown as { env: Env }).env = { ...env, DELIVERIES: queue } as unknown as Env;
  });
}
const alarmOf = (sessionId: string) =>
  runInDurableObject(stubOf(sessionId), (_o: SessionState, state) => state.storage.getAlarm());

describe("a timer", () => {
  it("fires once per destination when the session gets no follow-up", async () => {
    const s = gitpleId();
    await send("session_state_open", s);
    expect((await stubOf(s).timers()).map((t) => [t.name, t.state])).toEqual([["unassigned", "armed"]]);
    await elapse(s, HOUR);
    expect(await fire(s)).toBe(true);
    const got = await receivedAtLeast(trigger("unassigned", s, 1), 2);
    expect(got.map((r) => r.path).sort()).toEqual(["/hook/main", "/hook/webhook"]);
    const slack = got.find((r) => r.path === "/hook/main")?.body ?? "";
    expect(slack).toContain("Waiting 1 h: session");
    expect(slack).toContain(s);
    expect(slack).toContain(TAG.timer);
    const hook = JSON.parse(got.find((r) => r.path === "/hook/webhook")?.body ?? "{}");
    expect(hook).toMatchObject({ type: "timer", timer: { name: "unassigned", after: "1h", waitedSeconds: 3600 } });
    expect(hook.session.id).toBe(s);
    expect((await stubOf(s).timers())[0]?.state).toBe("done");
  });

  it("does not fire when the session is picked up before `after`", async () => {
    const s = gitpleId();
    await send("session_state_open", s);
    await send("session_state_inprogress", s);
    await elapse(s, HOUR);
    await fire(s);
    await settle();
    expect(await received(trigger("unassigned", s, 1))).toEqual([]);
    expect((await stubOf(s).timers())[0]).toMatchObject({ state: "stopped", fired: 0, stop_seen: 1 });
  });

  it("never arms when the stop arrives before the start", async () => {
    const s = gitpleId();
    await send("session_state_inprogress", s);
    await send("session_state_open", s);
    expect((await stubOf(s).timers())[0]).toMatchObject({ state: "stopped", next_fire_at: null });
    await elapse(s, HOUR);
    await fire(s);
    await settle();
    expect(await received(trigger("unassigned", s, 1))).toEqual([]);
  });

  it("arms once for a duplicate or re-sent start", async () => {
    const s = gitpleId();
    const open = sessionEvent("session_state_open", s);
    await acceptEvent(await signedRequest(open), timerEnv);
    await acceptEvent(await signedRequest(open), timerEnv); // a duplicate
    const before = (await stubOf(s).timers())[0];
    await send("session_state_open", s); // the same session, a new triggerId
    expect((await stubOf(s).timers())[0]).toEqual(before);
    await elapse(s, HOUR);
    await fire(s);
    expect(await receivedExactly(trigger("unassigned", s, 1), 2)).toHaveLength(2);
    expect(await received(trigger("unassigned", s, 2))).toEqual([]);
  });

  it("an alarm run twice for one firing queues its trigger id twice; the claims deliver it once per destination", async () => {
    const s = gitpleId();
    await send("session_state_open", s);
    await elapse(s, HOUR);
    const due = (await stubOf(s).timers())[0]?.next_fire_at;
    // Every message the alarm queues is seen here on its way to the real queue.
    const queued: { triggerId: string }[] = [];
    const tee = {
      send(body: { triggerId: string }, o?: QueueSendOptions) {
        queued.push(body);
        return env.DELIVERIES.send(body, o);
      },
      sendBatch(batch: MessageSendRequest<{ triggerId: string }>[], o?: QueueSendBatchOptions) {
        queued.push(...batch.map((m) => m.body));
        return env.DELIVERIES.sendBatch(batch, o);
      },
    };
    await useQueue(s, tee);
    expect(await fire(s)).toBe(true);
    await receivedAtLeast(trigger("unassigned", s, 1), 2);
    // The same firing due again, as after a crash between the send and the row's update: the alarm runs again.
    await runInDurableObject(stubOf(s), (_o: SessionState, state) => {
      state.storage.sql.exec("UPDATE timers SET state = 'armed', fired = 0, next_fire_at = ?", due ?? 0);
    });
    expect(await fire(s)).toBe(true);
    const id = trigger("unassigned", s, 1);
    expect(queued.filter((m) => m.triggerId === id)).toHaveLength(4);
    const got = await receivedExactly(id, 2);
    expect(got.map((r) => r.path).sort()).toEqual(["/hook/main", "/hook/webhook"]);
    expect(await received(trigger("unassigned", s, 2))).toEqual([]);
  });

  it("does not arm for a session its conditions leave out, and costs no object call for other events", async () => {
    const s = gitpleId();
    await send("session_state_open", s, ["other"]);
    expect(await stubOf(s).timers()).toEqual([]);
  });

  it("still fires after the object restarts between set and fire", async () => {
    const s = gitpleId();
    await send("session_state_open", s);
    await expect(
      runInDurableObject(stubOf(s), (_o: SessionState, state) => {
        state.abort("restart");
      }),
    ).rejects.toThrow();
    await elapse(s, HOUR);
    expect(await fire(s)).toBe(true);
    await receivedAtLeast(trigger("unassigned", s, 1), 2);
  });
});

describe("a timer whose alarm fails", () => {
  it("re-arms itself with a backoff while the queue is down, then sends the notice once it works", async () => {
    const s = gitpleId();
    await send("session_state_open", s);
    await elapse(s, HOUR);
    const down = recordingQueue(true);
    await useQueue(s, down);
    // The alarm handler catches the failure (not left to the runtime's retries) and sets the alarm itself.
    for (let i = 0; i < 3; i++) {
      expect(await fire(s)).toBe(true);
      const at = (await alarmOf(s)) ?? 0;
      expect(at).toBeGreaterThan(Date.now() + 10_000);
      expect(at).toBeLessThanOrEqual(Date.now() + 3_600_000);
      expect((await stubOf(s).timers())[0]).toMatchObject({ state: "armed", fired: 0 });
    }
    await settle();
    expect(await received(trigger("unassigned", s, 1))).toEqual([]);
    await useQueue(s, env.DELIVERIES);
    expect(await fire(s)).toBe(true);
    const got = await receivedExactly(trigger("unassigned", s, 1), 2);
    expect(got.map((r) => r.path).sort()).toEqual(["/hook/main", "/hook/webhook"]);
    expect((await stubOf(s).timers())[0]).toMatchObject({ state: "done", fired: 1 });
  });
});

describe("a repeating timer", () => {
  it("fires 7 times in all, each saying how long the session has waited, then stops", async () => {
    const s = gitpleId();
    await send("session_state_open", s, [TAG.timerRepeat]);
    await elapse(s, HOUR);
    await fire(s);
    for (let i = 0; i < 7; i++) {
      await elapse(s, 10 * 60_000);
      await fire(s);
    }
    await receivedAtLeast(trigger("unassigned-repeat", s, 7), 1);
    const bodies = (await received(`timer:unassigned-repeat:${s}:`)).map((r) => JSON.parse(r.body));
    expect(bodies.map((b) => b.timer.firing).sort()).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(bodies.map((b) => b.timer.waitedSeconds).sort((a, b) => a - b)).toEqual([
      3600, 4200, 4800, 5400, 6000, 6600, 7200,
    ]);
    expect((await stubOf(s).timers()).find((t) => t.name === "unassigned-repeat")).toMatchObject({
      state: "done",
      fired: 7,
    });
  });

  it("stops repeating at the session's close", async () => {
    const s = gitpleId();
    await send("session_state_open", s, [TAG.timerRepeat]);
    await elapse(s, HOUR);
    await fire(s);
    await elapse(s, 10 * 60_000);
    await fire(s);
    await send("session_state_close", s, [TAG.timerRepeat]);
    await elapse(s, 10 * 60_000);
    await fire(s);
    await receivedAtLeast(trigger("unassigned-repeat", s, 2), 1);
    await settle();
    const firings = (await received(`timer:unassigned-repeat:${s}:`)).map((r) => JSON.parse(r.body).timer.firing);
    expect(firings.sort()).toEqual([1, 2]);
    const row = (await stubOf(s).timers()).find((t) => t.name === "unassigned-repeat");
    expect(row).toMatchObject({ state: "stopped", fired: 2 });
  });
});

describe("retention", () => {
  const DAY = 24 * HOUR;
  const weekly = { ...TIMERS[0], name: "weekly", after: "7d", repeat: "7d", destinations: ["webhook"] };
  const weeklyEnv = { ...env, ROUTING: { ...(env.ROUTING as object), timers: [weekly] } } as unknown as Env;
  /** As `elapse`, the session's last change too. */
  const age = (s: string, ms: number) =>
    runInDurableObject(stubOf(s), (_o: SessionState, state) => {
      state.storage.sql.exec("UPDATE timers SET started_at = started_at - ?, next_fire_at = next_fire_at - ?", ms, ms);
      state.storage.sql.exec("UPDATE session SET touched_at = touched_at - ?", ms);
    });

  it("keeps a session while its timer still repeats (7d + 6 × 7d = 49 days), then 30 days after the last firing", async () => {
    const s = gitpleId();
    const open = sessionEvent("session_state_open", s);
    expect((await acceptEvent(await signedRequest(open), weeklyEnv)).ok).toBe(true);
    for (let firing = 1; firing <= 4; firing++) {
      await age(s, 7 * DAY);
      await fire(s);
    }
    // Day 31, 3 days since firing 4: past 30 days since the open, the fifth firing still to come.
    await age(s, 3 * DAY);
    await fire(s);
    expect((await stubOf(s).timers())[0]).toMatchObject({ state: "armed", fired: 4 });
    await age(s, 4 * DAY);
    await fire(s);
    for (let firing = 6; firing <= 7; firing++) {
      await age(s, 7 * DAY);
      await fire(s);
    }
    expect((await stubOf(s).timers())[0]).toMatchObject({ state: "done", fired: 7 });
    expect(await receivedExactly(`timer:weekly:${s}:`, 7)).toHaveLength(7);
    // 29 days after the last firing it is kept; past 30, forgotten.
    await age(s, 29 * DAY);
    expect(await fire(s)).toBe(true);
    expect(await stubOf(s).timers()).toHaveLength(1);
    await age(s, 2 * DAY);
    expect(await fire(s)).toBe(true);
    expect(await stubOf(s).timers()).toEqual([]);
  });
});

describe("the wait", () => {
  it("counts from the open event's openTime: an open delivered 2 minutes late fires 3 minutes on, saying 5 min", async () => {
    const five = { ...TIMERS[0], name: "five", after: "5m" };
    const fiveEnv = { ...env, ROUTING: { ...(env.ROUTING as object), timers: [five] } } as unknown as Env;
    const s = gitpleId();
    const opened = Date.now() - 2 * 60_000;
    const open = closeEvent(
      { type: "session_state_open", triggerId: uniqueId("open") },
      { id: s, tags: [TAG.timer], openTime: new Date(opened).toISOString(), closeTime: undefined },
    );
    expect((await acceptEvent(await signedRequest(open), fiveEnv)).ok).toBe(true);
    expect((await stubOf(s).timers())[0]).toMatchObject({ started_at: opened, next_fire_at: opened + 5 * 60_000 });
    // Not due yet; 3 minutes on, it is.
    await fire(s);
    expect((await stubOf(s).timers())[0]).toMatchObject({ state: "armed", fired: 0 });
    await elapse(s, 3 * 60_000);
    await fire(s);
    const got = await receivedExactly(trigger("five", s, 1), 2);
    expect(got.find((r) => r.path === "/hook/main")?.body).toContain("Waiting 5 min: session");
    const hook = JSON.parse(got.find((r) => r.path === "/hook/webhook")?.body ?? "{}");
    expect(hook.timer).toMatchObject({ name: "five", after: "5m", waitedSeconds: 300 });
  });

  it("counts at most `after` back: an open older than that fires at once, never for a time already past", async () => {
    const s = gitpleId();
    const before = Date.now();
    const open = closeEvent(
      { type: "session_state_open", triggerId: uniqueId("open") },
      { id: s, tags: [TAG.timer], openTime: "2019-04-29T08:57:15.878Z", closeTime: undefined },
    );
    expect((await acceptEvent(await signedRequest(open), timerEnv)).ok).toBe(true);
    const row = (await stubOf(s).timers())[0];
    expect(row?.next_fire_at).toBeGreaterThanOrEqual(before);
    expect(row?.next_fire_at).toBeLessThanOrEqual(Date.now());
    expect((row?.next_fire_at ?? 0) - (row?.started_at ?? 0)).toBe(HOUR);
  });
});
