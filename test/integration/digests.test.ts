// Scheduled digests (issue 14): sessions go through the real ingest, each
// digest's Durable Object keeps hourly aggregates, its alarm is run with the
// test helper after moving the stored times back a day (no sleeping), and the
// digest travels the real DELIVERIES queue and consumer to the fake receiver.
// The expected figures are computed here, from the generated sessions, on
// their own.
import { createMessageBatch, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { DEMO_IDS } from "../../scripts/lib/gitple-demo-data.ts";
import { handleDeadLetters } from "../../src/delivery/dead-letters.ts";
import type { DigestFigures } from "../../src/digest-figures/figures.ts";
import { digestFor } from "../../src/digest-figures/stub.ts";
import type { DigestState } from "../../src/digests/object.ts";
import { formatWaited } from "../../src/format/waited.ts";
import { holdsFor } from "../../src/holds/object.ts";
import { acceptEvent } from "../../src/ingest/accept.ts";
import { validateRouting } from "../../src/routing/load.ts";
import type { SessionState } from "../../src/sessions/object.ts";
import { sessionFor } from "../../src/sessions/stub.ts";
import type { DeliveryMessage } from "../../src/storage/delivery-message.ts";
import { enqueueNotice } from "../../src/storage/notice.ts";
import { loadPayload } from "../../src/storage/payload.ts";
import { admin, recordingQueue } from "../support/admin.ts";
import { consume, deliveryFor } from "../support/queue.ts";
import { DIGEST_AT, DIGEST_TAGS, type TEST_ROUTING } from "../support/test-env.ts";
import { closeEvent, received, receivedAtLeast, receivedExactly, signedRequest, uniqueId } from "../support/worker.ts";
import { workspace } from "../unit/gitple/stand-in.ts";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const routing = env.ROUTING as unknown as typeof TEST_ROUTING;
// A timer on one of the day's sessions, so its firing counts in the digest.
const WAIT_CATEGORY = "5cc7c1000000000000000c99";
const dayEnv = {
  ...env,
  ROUTING: {
    ...routing,
    timers: [
      {
        name: "digest-wait",
        start: "session_state_open",
        after: "1h",
        destinations: ["ops"],
        // Only the one session below: the day's generated opens, hours old, would be due at once.
        categories: { any: [WAIT_CATEGORY] },
      },
    ],
  },
} as unknown as Env;

const stub = (name: string): DurableObjectStub<DigestState> => digestFor(env, name) as DurableObjectStub<DigestState>;
const iso = (ms: number) => new Date(ms).toISOString();
const settle = () => new Promise((r) => setTimeout(r, 1500));

/** Moves every stored time of a digest `ms` into the past, as if that long had gone by. */
async function elapse(name: string, ms: number): Promise<void> {
  await runInDurableObject(stub(name), (o: DigestState, state) => {
    state.storage.sql.exec("UPDATE meta SET next_at = next_at - ?", ms);
    state.storage.sql.exec("UPDATE buckets SET start = start - ?", ms);
    (o as unknown as { next?: number }).next = undefined;
  });
}

async function accept(event: Record<string, unknown>) {
  const result = await acceptEvent(await signedRequest(event), dayEnv);
  expect(result.ok).toBe(true);
}

/** A deterministic generator (mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const hex = (n: number) => n.toString(16).padStart(24, "0");
const TAGS = [DIGEST_TAGS.day, hex(0xa1), hex(0xa2), hex(0xa3)];
const CATEGORIES = [hex(0xc1), hex(0xc2), hex(0xc3)];
const REASONS = ["agentClose", "userCancel", "timeout"];

interface Generated {
  id: string;
  open: number;
  assigned?: number;
  close?: number;
  reason: string;
  tags: string[];
  categories: string[];
}

/** Sessions over the period so far: some closed unassigned, some still open; a few without the digest's tag. */
function generate(from: number, to: number, n: number): Generated[] {
  const rnd = random(14);
  const pick = <T>(items: readonly T[]) => items[Math.floor(rnd() * items.length)] as T;
  return Array.from({ length: n }, (_, i) => {
    const open = from + 60_000 + Math.floor(rnd() * (to - from - 3 * HOUR));
    const assigned = rnd() < 0.85 ? open + Math.floor(rnd() * 3600) * 1000 : undefined;
    const close = rnd() < 0.9 ? (assigned ?? open) + (30 + Math.floor(rnd() * 5400)) * 1000 : undefined;
    const tags = [DIGEST_TAGS.day, ...TAGS.slice(1).filter(() => rnd() < 0.4)];
    return {
      id: `5cc6${hex(i).slice(4)}`,
      open,
      ...(assigned !== undefined && { assigned }),
      ...(close !== undefined && { close: Math.min(close, to - 60_000) }),
      reason: pick(REASONS),
      tags,
      categories: CATEGORIES.filter(() => rnd() < 0.5),
    };
  });
}

function sessionBody(s: Generated, closed: boolean) {
  return {
    id: s.id,
    openTime: iso(s.open),
    inprogressTime: s.assigned === undefined ? undefined : iso(s.assigned),
    closeTime: closed && s.close !== undefined ? iso(s.close) : undefined,
    reason: closed ? s.reason : undefined,
    tags: s.tags,
    categories: s.categories,
    userGroups: ["5cc9a0b1c2d3e4f5a6b7c8d9"],
  };
}

/** Nearest rank: the value at rank ceil(q·n). */
const rank = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? null : (sorted[Math.ceil(q * sorted.length) - 1] ?? null);
};
const top = (counts: Map<string, number>) =>
  [...counts]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, 5)
    .map(([id, count]) => ({ id, count }));

/** The figures, computed from the sessions alone. */
function expected(
  sessions: Generated[],
  timersFired: number,
  deadLetters: number,
): Omit<DigestFigures, "digest" | "period"> {
  const closed = sessions.filter((s) => s.close !== undefined);
  const byReason: Record<string, number> = {};
  const tags = new Map<string, number>();
  const categories = new Map<string, number>();
  for (const s of closed) {
    byReason[s.reason] = (byReason[s.reason] ?? 0) + 1;
    for (const t of s.tags) tags.set(t, (tags.get(t) ?? 0) + 1);
    for (const c of s.categories) categories.set(c, (categories.get(c) ?? 0) + 1);
  }
  const assigned = closed.filter((s) => s.assigned !== undefined);
  const waits = assigned.map((s) => ({ seconds: Math.round(((s.assigned ?? 0) - s.open) / 1000), session: s.id }));
  const handling = assigned.map((s) => Math.round(((s.close ?? 0) - (s.assigned ?? 0)) / 1000));
  return {
    sessions: { opened: sessions.length, closed: closed.length },
    closedByReason: byReason,
    tags: top(tags),
    categories: top(categories),
    firstAssignment: {
      medianSeconds: rank(
        waits.map((w) => w.seconds),
        0.5,
      ),
      p90Seconds: rank(
        waits.map((w) => w.seconds),
        0.9,
      ),
      longest: [...waits]
        .sort((a, b) => b.seconds - a.seconds)
        .slice(0, 3)
        .map((w) => ({ ...w, appCode: "TEST_APP" })),
    },
    handling: { medianSeconds: rank(handling, 0.5), p90Seconds: rank(handling, 0.9) },
    timersFired,
    deadLetters,
  };
}

async function preview(name: string): Promise<DigestFigures> {
  const answer = await admin(`/digests/${name}/preview`);
  expect(answer.status).toBe(200);
  return answer.body as unknown as DigestFigures;
}

describe("a scheduled digest", () => {
  it("summarises a day of sessions: the preview and the delivered messages say the figures computed here", async () => {
    const { period } = await preview("test-day");
    const from = Date.parse(period.from);
    const next = from + DAY;
    const sessions = generate(from, Date.now(), 60);
    for (const s of sessions) {
      await accept({
        type: "session_state_open",
        triggerId: uniqueId("open"),
        appCode: "TEST_APP",
        ctime: iso(s.open),
        session: sessionBody(s, false),
      });
      if (s.assigned !== undefined)
        await accept({
          type: "session_state_inprogress",
          triggerId: uniqueId("ip"),
          appCode: "TEST_APP",
          ctime: iso(s.assigned),
          session: sessionBody(s, false),
        });
      if (s.close !== undefined)
        await accept({
          type: "session_state_close",
          triggerId: uniqueId("close"),
          appCode: "TEST_APP",
          ctime: iso(s.close),
          session: sessionBody(s, true),
        });
    }
    // Not counted: a session without the digest's tag, and an inprogress event on its own.
    await accept(closeEvent({ appCode: "TEST_APP" }, { tags: [hex(0xa1)], closeTime: iso(Date.now() - HOUR) }));

    // A timer set by one of the day's opens fires (its session's object, an hour on).
    const waiting = uniqueId("wait");
    await accept({
      type: "session_state_open",
      triggerId: uniqueId("open"),
      appCode: "TEST_APP",
      session: { id: waiting, tags: [DIGEST_TAGS.day], categories: [WAIT_CATEGORY] },
    });
    sessions.push({ id: waiting, open: Date.now(), reason: "", tags: [DIGEST_TAGS.day], categories: [] });
    const session = sessionFor(env, "TEST_APP", waiting) as DurableObjectStub<SessionState>;
    await runInDurableObject(session, (_o: SessionState, state) => {
      state.storage.sql.exec(
        "UPDATE timers SET started_at = started_at - ?, next_fire_at = next_fire_at - ?",
        HOUR,
        HOUR,
      );
    });
    expect(await runDurableObjectAlarm(session)).toBe(true);
    // A delivery of one of the day's closes is dead-lettered.
    const dead = await deliveryFor("main-slack", closeEvent({}, { tags: [DIGEST_TAGS.day] }));
    const notice = {
      kind: "dead-letter",
      delivery: dead,
      reason: "test",
      attempts: 3,
      lastStatus: 500,
      deadAt: iso(Date.now()),
    };
    await handleDeadLetters(
      createMessageBatch("gitple-relay-dead-letters", [{ id: "d1", timestamp: new Date(), attempts: 1, body: notice }]),
      env,
    );

    const want = expected(sessions, 1, 1);
    const shown = await preview("test-day");
    expect(Date.parse(shown.period.to)).toBeLessThanOrEqual(Date.now());
    expect(shown).toEqual({ digest: "test-day", period: { from: period.from, to: shown.period.to }, ...want });
    expect(Object.keys(shown)).toEqual([
      "digest",
      "period",
      "sessions",
      "closedByReason",
      "tags",
      "categories",
      "firstAssignment",
      "handling",
      "timersFired",
      "deadLetters",
    ]);

    // A day goes by: the alarm sends the period that ended at `at`, once per destination.
    await elapse("test-day", DAY);
    expect(await runDurableObjectAlarm(stub("test-day"))).toBe(true);
    const triggerId = `digest:test-day:${iso(next - DAY)}`;
    const got = await receivedExactly(triggerId, 3, 15_000);
    expect(got.map((r) => r.path).sort()).toEqual(["/hook/discord", "/hook/main", "/hook/webhook"]);
    const hook = JSON.parse(got.find((r) => r.path === "/hook/webhook")?.body ?? "{}");
    expect(hook).toEqual({
      type: "digest",
      triggerId,
      ctime: iso(next - DAY),
      digest: { digest: "test-day", period: { from: iso(from - DAY), to: iso(next - DAY) }, ...want },
    });
    const slack = JSON.parse(got.find((r) => r.path === "/hook/main")?.body ?? "{}");
    const text = JSON.stringify(slack.blocks);
    expect(slack.blocks[0].text.text).toBe(
      `Digest test-day: ${want.sessions.opened} sessions opened, ${want.sessions.closed} closed`,
    );
    const fa = want.firstAssignment;
    expect(text).toContain(`median ${formatWaited(fa.medianSeconds ?? 0)}, p90 ${formatWaited(fa.p90Seconds ?? 0)}`);
    expect(text).toContain(
      `median ${formatWaited(want.handling.medianSeconds ?? 0)}, p90 ${formatWaited(want.handling.p90Seconds ?? 0)}`,
    );
    for (const [reason, n] of Object.entries(want.closedByReason)) expect(text).toContain(`${reason} (${n})`);
    expect(text).toContain(`${want.tags[0]?.id} (${want.tags[0]?.count})`);
    for (const l of fa.longest) expect(text).toContain(`${formatWaited(l.seconds)} · session ${l.session}`);
    // Discord's destination has a session_url: each longest wait links to its session.
    const discord = got.find((r) => r.path === "/hook/discord")?.body ?? "";
    for (const l of fa.longest) expect(discord).toContain(`https://console.gitple.test/sessions/${l.session}`);

    // The alarm runs again for the same period (at least once; a crash before moving on): still one each.
    await runInDurableObject(stub("test-day"), (o: DigestState, state) => {
      state.storage.sql.exec("UPDATE meta SET next_at = ?", next - DAY);
      (o as unknown as { next?: number }).next = undefined;
    });
    expect(await runDurableObjectAlarm(stub("test-day"))).toBe(true);
    expect(await runDurableObjectAlarm(stub("test-day"))).toBe(true);
    await settle();
    expect(await received(triggerId)).toHaveLength(3);
    // And the schedule moved on to the next `at`, with the sent period's buckets gone.
    await runInDurableObject(stub("test-day"), (_o: DigestState, state) => {
      expect(state.storage.sql.exec("SELECT next_at FROM meta").one().next_at).toBe(next);
      expect(state.storage.sql.exec("SELECT COUNT(*) AS n FROM buckets").one().n).toBe(0);
    });
  });

  it("says so when the period had no sessions", async () => {
    const { period } = await preview("test-empty");
    await elapse("test-empty", DAY);
    expect(await runDurableObjectAlarm(stub("test-empty"))).toBe(true);
    const triggerId = `digest:test-empty:${iso(Date.parse(period.from))}`;
    const got = await receivedAtLeast(triggerId, 2, 15_000);
    const slack = got.find((r) => r.path === "/hook/main")?.body ?? "";
    expect(slack).toContain("Digest test-empty: no sessions");
    const hook = JSON.parse(got.find((r) => r.path === "/hook/webhook")?.body ?? "{}");
    expect(hook.digest).toMatchObject({
      sessions: { opened: 0, closed: 0 },
      closedByReason: {},
      tags: [],
      timersFired: 0,
    });
    expect(hook.digest.firstAssignment).toEqual({ medianSeconds: null, p90Seconds: null, longest: [] });
  });

  it("stays bounded: more sessions than the sample keeps give sane figures, in one row per hour", async () => {
    const { period } = await preview("test-bound");
    const from = Date.parse(period.from);
    const d = stub("test-bound");
    const n = 400;
    for (let i = 0; i < n; i++) {
      const at = Math.min(from + (i % 5) * HOUR + 60_000, Date.now());
      await d.note("test-bound", {
        kind: "close",
        at,
        session: `s${i}`,
        reason: "agentClose",
        tags: [DIGEST_TAGS.bound],
        assign: i,
        handle: 600,
      });
    }
    const f = await preview("test-bound");
    expect(f.sessions.closed).toBe(n);
    expect(f.firstAssignment.longest.map((l) => l.seconds)).toEqual([399, 398, 397]);
    expect(f.handling).toEqual({ medianSeconds: 600, p90Seconds: 600 });
    // An estimate from 5 × 32 of 400 uniform values 0..399.
    expect(f.firstAssignment.medianSeconds).toBeGreaterThan(120);
    expect(f.firstAssignment.medianSeconds).toBeLessThan(280);
    await runInDurableObject(d, (_o: DigestState, state) => {
      expect(state.storage.sql.exec("SELECT COUNT(*) AS n FROM buckets").one().n).toBeLessThanOrEqual(6);
      for (const row of state.storage.sql.exec<{ data: string }>("SELECT data FROM buckets")) {
        expect(JSON.parse(row.data).a.v.length).toBeLessThanOrEqual(32);
        expect(row.data.length).toBeLessThan(4000);
      }
    });
  });
});

describe("names", () => {
  it("the busiest tags and categories are named where the Open API is configured (ids otherwise)", async () => {
    const ws = await workspace();
    const gitple = { api_secret: "GITPLE_API_SECRET", api_url: ws.conn.apiUrl, timeout_seconds: 2 };
    const config = validateRouting({ ...routing, gitple }, (n) => (env as unknown as Record<string, string>)[n]);
    if (!config.ok) throw new Error(config.error.join("\n"));
    const digest = { ...routing.digests[0], app_codes: [ws.appCode] };
    const figures = {
      ...(await preview("test-day")),
      tags: [
        { id: DEMO_IDS.sessionTags.vip, count: 3 },
        { id: "5cc7a1ffffffffffffffffff", count: 1 },
      ],
      categories: [{ id: DEMO_IDS.categories.refund, count: 2 }],
    };
    const named = await runInDurableObject(stub("test-day"), (o: DigestState) =>
      (o as unknown as { named(spec: unknown, f: DigestFigures): Promise<DigestFigures> }).named(
        { config: config.value, digest, coversMs: DAY },
        figures,
      ),
    );
    expect(named.tags).toEqual([
      { id: DEMO_IDS.sessionTags.vip, name: "VIP", count: 3 },
      { id: "5cc7a1ffffffffffffffffff", count: 1 },
    ]);
    expect(named.categories).toEqual([{ id: DEMO_IDS.categories.refund, name: "결제 › 환불", count: 2 }]);
    // Without [vars.ROUTING.gitple] (the suite's config): ids as they are.
    expect((await preview("test-empty")).tags.every((t) => t.name === undefined)).toBe(true);
  });
});

describe("quiet hours", () => {
  it("hold a digest like any notice (the issue makes no exception)", async () => {
    const days = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];
    const destinations = {
      ...routing.destinations,
      "second-slack": { ...routing.destinations["second-slack"], quiet_hours: [{ days }] },
    };
    const quiet = { ...env, ROUTING: { ...routing, destinations } } as unknown as Env;
    const triggerId = `digest:test-day:${iso(Date.now())}`;
    const m = {
      ...(await deliveryFor("second-slack", { triggerId, type: "digest", digest: { digest: "test-day" } })),
      rules: [],
    };
    expect((await consume([m], quiet)).acked).toHaveLength(1);
    expect(await holdsFor(env, "second-slack").heldUntil(m.eventKey)).toBeGreaterThan(Date.now());
    await settle();
    expect(await received(triggerId)).toEqual([]);
  });
});

describe("the storage a counted event costs (bench/lib/digest-ops.ts)", () => {
  it("is two rows read (the bucket, the upsert's check) and one row written in the digest's object", async () => {
    const { period } = await preview("test-bound");
    const at = Date.parse(period.from) + 60_000;
    const counted = await runInDurableObject(stub("test-bound"), async (o: DigestState) => {
      const inner = o as unknown as { sql: SqlStorage };
      const sql = inner.sql;
      const tally = { read: 0, written: 0 };
      inner.sql = {
        exec: (query: string, ...args: SqlStorageValue[]) => {
          const cursor = sql.exec(query, ...args);
          const rows = cursor.toArray();
          tally.read += cursor.rowsRead;
          tally.written += cursor.rowsWritten;
          return { toArray: () => rows, one: () => rows[0] };
        },
      } as unknown as SqlStorage;
      try {
        await o.note("test-bound", { kind: "open", at }); // the bucket exists (or is made) here
        tally.read = 0;
        tally.written = 0;
        await o.note("test-bound", { kind: "close", at, session: "s", reason: "r", tags: ["t"], assign: 5, handle: 9 });
      } finally {
        inner.sql = sql;
      }
      return tally;
    });
    expect(counted).toEqual({ read: 2, written: 1 });
  });
});

describe("the digest admin endpoints", () => {
  it("401 without the token, 404 for an unknown digest", async () => {
    expect((await admin("/digests/test-day/preview", { token: null })).status).toBe(401);
    expect((await admin("/digests/test-day/send", { method: "POST", token: null })).status).toBe(401);
    const unknown = await admin("/digests/nope/preview");
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toBe('no digest named "nope" in [[vars.ROUTING.digests]]');
    expect((await admin("/digests/nope/send", { method: "POST" })).status).toBe(404);
    expect((await admin("/digests/test-day/send")).status).toBe(405);
  });

  it("send: queues the current period now under its own trigger id, and the scheduled send still happens", async () => {
    const { period } = await preview("test-empty");
    const sent = await admin("/digests/test-empty/send", { method: "POST" });
    expect(sent.status).toBe(202);
    const next = iso(Date.parse(period.from) + DAY);
    expect(sent.body).toMatchObject({
      status: "queued",
      destinations: ["webhook", "main-slack"],
      figures: { digest: "test-empty" },
    });
    const triggerId = String(sent.body.triggerId);
    expect(triggerId.startsWith(`digest:test-empty:${next}:manual:`)).toBe(true);
    await receivedAtLeast(triggerId, 2, 15_000);
    // The scheduled trigger id of that period is untouched by the manual send.
    expect(await received(`"triggerId":"digest:test-empty:${next}"`)).toEqual([]);
  });
});

describe("a digest whose send fails", () => {
  const retry = { name: "test-retry", at: DIGEST_AT, destinations: ["webhook", "main-slack"] };
  const routed = { ...routing, digests: [...routing.digests, retry] };
  /** The object's env: the config with this digest, and a DELIVERIES binding (a fake queue: down, or the real one). */
  const use = (queue: unknown) =>
    runInDurableObject(stub("test-retry"), (o: DigestState) => {
      (o as unknown as { env: Env }).env = { ...env, ROUTING: routed, DELIVERIES: queue } as unknown as Env;
    });
  const meta = () =>
    runInDurableObject(stub("test-retry"), (_o: DigestState, state) => ({
      next: state.storage.sql.exec<{ next_at: number }>("SELECT next_at FROM meta").one().next_at,
      alarm: state.storage.getAlarm(),
    }));

  it("re-arms its alarm with a backoff, never loses its schedule, and sends once when the queue is back", async () => {
    await use(recordingQueue(true));
    await stub("test-retry").note("test-retry");
    await elapse("test-retry", DAY);
    const due = (await meta()).next;
    for (let i = 0; i < 2; i++) {
      expect(await runDurableObjectAlarm(stub("test-retry"))).toBe(true);
      const { next, alarm } = await meta();
      expect(next).toBe(due); // the period is still to send
      expect(await alarm).toBeGreaterThan(Date.now() + 10_000);
      expect(await alarm).toBeLessThanOrEqual(Date.now() + 3_600_000);
    }
    // The runtime gave up on the alarm while the instance still has the (now past) send cached: the next call sets it again.
    await runInDurableObject(stub("test-retry"), async (o: DigestState, state) => {
      (o as unknown as { next?: number }).next = due;
      await state.storage.deleteAlarm();
    });
    const triggerId = `digest:test-retry:${iso(due)}`;
    expect(await received(triggerId)).toEqual([]);
    await use(env.DELIVERIES);
    // The alarm is set to the overdue send and runs at once, by itself.
    await stub("test-retry").note("test-retry");
    const got = await receivedExactly(triggerId, 2, 15_000);
    expect(got.map((r) => r.path).sort()).toEqual(["/hook/main", "/hook/webhook"]);
    expect((await meta()).next).toBeGreaterThan(Date.now());
  });
});

describe("making sure each digest's alarm is set (ingest, once per isolate and digest)", () => {
  it("is best effort: a DIGESTS binding that fails never fails the event, and the next event tries again", async () => {
    const extra = { name: "test-unscheduled", at: "09:00", destinations: ["webhook"] };
    const calls: string[] = [];
    const digests = (fail: boolean) => ({
      idFromName: (name: string) => name,
      get: (name: string) => ({
        note: async () => {
          calls.push(name);
          if (fail) throw new Error("digests down");
        },
      }),
    });
    const envOf = (fail: boolean) =>
      ({ ...env, ROUTING: { ...routing, digests: [extra] }, DIGESTS: digests(fail) }) as unknown as Env;
    const event = () =>
      closeEvent({ type: "session_state_inprogress", triggerId: uniqueId("ip") }, { closeTime: undefined });
    const down = await acceptEvent(await signedRequest(event()), envOf(true));
    expect(down.ok).toBe(true);
    expect(calls).toEqual(["test-unscheduled"]);
    expect((await acceptEvent(await signedRequest(event()), envOf(false))).ok).toBe(true);
    expect(calls).toEqual(["test-unscheduled", "test-unscheduled"]);
    // Scheduled now: later events of this isolate make no call.
    expect((await acceptEvent(await signedRequest(event()), envOf(false))).ok).toBe(true);
    expect(calls).toHaveLength(2);
  });
});

describe("a notice over 16 KB with a body per destination (a digest's links)", () => {
  it("stores each destination's body under its own key, and a shared body once", async () => {
    const queue = recordingQueue();
    const qEnv = { ...env, DELIVERIES: queue } as unknown as Env;
    const notice = { type: "digest", triggerId: `digest:big:${uniqueId("p")}` };
    const big = (link: string) => JSON.stringify({ ...notice, link, filler: "x".repeat(20_000) });
    await enqueueNotice(qEnv, notice, ["discord", "webhook"], (d) => big(`https://console.gitple.test/${d}`));
    const sent = queue.sent as DeliveryMessage[];
    expect(sent.map((m) => m.destination)).toEqual(["discord", "webhook"]);
    for (const m of sent) {
      expect("kv" in m.payload).toBe(true);
      const body = JSON.parse((await loadPayload(env.RELAY_STATE, m.payload)) ?? "{}");
      expect(body.link).toBe(`https://console.gitple.test/${m.destination}`);
    }
    // The same body for every destination: one copy, one KV write.
    const shared = recordingQueue();
    const one = { ...notice, triggerId: `${notice.triggerId}:shared` };
    await enqueueNotice({ ...env, DELIVERIES: shared } as unknown as Env, one, ["discord", "webhook"], () => big("-"));
    const refs = (shared.sent as DeliveryMessage[]).map((m) => JSON.stringify(m.payload));
    expect(new Set(refs).size).toBe(1);
  });
});
