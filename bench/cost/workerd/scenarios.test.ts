// The cost bench's scenarios (bench/cost.ts runs this file and reads its
// COST_RESULT line): N events through the relay's real fetch and queue
// handlers, Durable Objects and local KV, with every billed binding counted
// (counting.ts). The test plays the queue, as Cloudflare Queues bills it: each
// message handed to the consumer is a read, each ack a delete (per 64 KB), a
// retried message is handed out again. Each event's alarms are then run to the
// end (its cleanup 30 days later included), so the counts are an event's
// whole life.
import {
  createExecutionContext,
  createMessageBatch,
  getQueueResult,
  runDurableObjectAlarm,
  runInDurableObject,
} from "cloudflare:test";
import { env } from "cloudflare:workers";
import { expect, it } from "vitest";
import { eventKey } from "../../../src/storage/event-key.ts";
import { TAG } from "../../../test/support/ids.ts";
import { DIGEST_TAGS } from "../../../test/support/test-env.ts";
import { closeEvent, script, signedRequest, uniqueId } from "../../../test/support/worker.ts";
import { captureQueues, count, counts, queueOps, resetCounts, type Tally, uncounted } from "./counting.ts";
import bench from "./worker.ts";

const EVENTS = 10;
const BATCH = 10; // wrangler.toml: max_batch_size
const ctx = { waitUntil() {}, passThroughOnException() {}, props: {} } as unknown as ExecutionContext;

interface Pending {
  queue: string;
  body: unknown;
  attempts: number;
}
let pending: Pending[] = [];

/** Hands every pending message to the consumer, batch by batch, until none is left (or `rounds` run out). */
async function drain(runEnv: Env = env, rounds = 50): Promise<void> {
  for (let round = 0; round < rounds && pending.length > 0; round++) {
    const queue = pending[0]?.queue as string;
    const taken = pending.filter((p) => p.queue === queue).slice(0, BATCH);
    pending = pending.filter((p) => !taken.includes(p));
    const batch = createMessageBatch(
      queue,
      taken.map((p, i) => ({
        id: `m${i}-${crypto.randomUUID()}`,
        timestamp: new Date(),
        attempts: p.attempts,
        body: p.body,
      })),
    );
    for (const p of taken) count("queueReads", queueOps(p.body));
    const execution = createExecutionContext();
    await bench.queue(batch as MessageBatch<unknown>, runEnv);
    const result = await getQueueResult(batch, execution);
    const retried = new Set(
      result.retryBatch.retry ? batch.messages.map((m) => m.id) : result.retryMessages.map((m) => m.msgId),
    );
    batch.messages.forEach((m, i) => {
      const p = taken[i] as Pending;
      if (retried.has(m.id)) pending.push({ ...p, attempts: p.attempts + 1 });
      else count("queueDeletes", queueOps(p.body));
    });
  }
}

/**
 * Runs each event's Durable Object alarms until none is left, each at its time:
 * the object's stored times are moved back by the wait first, as if that time had passed.
 */
async function runAlarms(keys: readonly string[]): Promise<void> {
  for (const key of keys) {
    const stub = env.CLAIMS.get(env.CLAIMS.idFromName(key));
    for (let i = 0; i < 5; i++) {
      const at = await uncounted(() => runInDurableObject(stub, (_o, state) => state.storage.getAlarm()));
      if (at === null) break;
      await uncounted(() => timeTravel(stub, at - Date.now() + 1000));
      if (!(await runDurableObjectAlarm(stub))) break;
      await drain();
    }
  }
}

/** Moves every stored time of an object `ms` into the past. */
async function timeTravel(stub: DurableObjectStub, ms: number): Promise<void> {
  if (ms <= 0) return;
  await runInDurableObject(stub, (_o, state) => {
    for (const column of ["updated_at", "accepted_at", "lease_until", "not_before"]) {
      const exists = state.storage.sql
        .exec<{ name: string }>("PRAGMA table_info(deliveries)")
        .toArray()
        .some((c) => c.name === column);
      if (exists) state.storage.sql.exec(`UPDATE deliveries SET ${column} = ${column} - ? WHERE ${column} > 0`, ms);
    }
  });
}

type Scenario = (i: number, run: string) => Promise<{ triggerId: string; dropFirst?: boolean }>;

/**
 * The window's end for a destination's held deliveries (quiet hours): their `until` moved back, the
 * holding object's alarm run (defer re-queues each, digest queues one message), and what it queued
 * delivered. Returns the event keys of what it queued that no event of the scenario has (the digest).
 */
async function endQuiet(destination: string, runEnv: Env, keys: readonly string[]): Promise<string[]> {
  const stub = env.HOLDS.get(env.HOLDS.idFromName(destination));
  await uncounted(() =>
    runInDurableObject(stub, (_o, state) => {
      state.storage.sql.exec("UPDATE held SET until = ?", Date.now() - 1000);
    }),
  );
  expect(await runDurableObjectAlarm(stub)).toBe(true);
  const queued = pending.map((p) => (p.body as { eventKey?: string }).eventKey ?? "");
  await drain(runEnv);
  return [...new Set(queued)].filter((k) => k !== "" && !keys.includes(k));
}

/** N events of one scenario, from POST to the end of their alarms: the counts per event. */
async function measure(
  name: string,
  make: Scenario,
  runEnv: Env = env,
  quiet?: string,
): Promise<Record<keyof Tally, number>> {
  const run = uniqueId(name);
  resetCounts();
  pending = [];
  let drop = false;
  captureQueues((queue, body) => {
    if (!drop) pending.push({ queue, body, attempts: 1 });
  });
  const keys: string[] = [];
  try {
    for (let i = 0; i < EVENTS; i++) {
      const { triggerId, dropFirst } = await make(i, run);
      keys.push(await eventKey("TEST_APP", triggerId));
      drop = dropFirst === true;
      const request = await signedRequest(events.get(triggerId) as Record<string, unknown>);
      const response = await bench.fetch(request as Parameters<typeof bench.fetch>[0], runEnv, ctx);
      expect(response.status).toBe(202);
      drop = false;
    }
    await drain(runEnv);
    if (quiet) keys.push(...(await endQuiet(quiet, runEnv, keys)));
    // An event routed nowhere has no object (running its alarm would create one).
    if (name !== "unrouted") await runAlarms(keys);
  } finally {
    captureQueues(null);
  }
  const total = counts();
  return Object.fromEntries(Object.entries(total).map(([k, v]) => [k, v / EVENTS])) as Record<keyof Tally, number>;
}

const events = new Map<string, Record<string, unknown>>();
function event(body: Record<string, unknown> & { triggerId: string }): { triggerId: string } {
  events.set(body.triggerId, body);
  return { triggerId: body.triggerId };
}

it("counts what each event costs", async () => {
  const results: Record<string, Record<keyof Tally, number>> = {};
  // Warm-up, not reported: what an isolate does once, not per event (e.g. noting the appCode).
  await measure("warm", async (i, run) => event(closeEvent({ triggerId: `${run}-${i}` })));
  results.one = await measure("one", async (i, run) => event(closeEvent({ triggerId: `${run}-${i}` })));
  results.two = await measure("two", async (i, run) =>
    event(closeEvent({ triggerId: `${run}-${i}` }, { tags: [TAG.vip] })),
  );
  results.retry = await measure("retry", async (i, run) => {
    const triggerId = `${run}-${i}`;
    await script(triggerId, [{ status: 503, body: "unavailable" }]);
    return event(closeEvent({ triggerId }, { tags: [TAG.vip] }));
  });
  results.dead = await measure("dead", async (i, run) => {
    const triggerId = `${run}-${i}`;
    await script(triggerId, [{ status: 404, body: "channel_not_found" }]);
    return event(closeEvent({ triggerId }, { tags: [TAG.vip] }));
  });
  results.dropped = await measure("dropped", async (i, run) => ({
    ...event(closeEvent({ triggerId: `${run}-${i}` })),
    dropFirst: true,
  }));
  // No rule matches and no fallback: accepted, delivered nowhere.
  const unrouted = {
    ...env,
    ROUTING: { ...(env as unknown as { ROUTING: object }).ROUTING, fallback: [] },
  } as unknown as Env;
  results.unrouted = await measure(
    "unrouted",
    async (i, run) => event(closeEvent({ triggerId: `${run}-${i}`, type: "session_state_inprogress" })),
    unrouted,
  );
  // Quiet hours (issue 14): the "one" scenario's destination inside a window all week; its window then
  // ends with the scenario's events held: each re-queued (defer), or all in one digest message.
  const routing = (env as unknown as { ROUTING: { destinations: Record<string, object> } }).ROUTING;
  const quiet = (during: string) =>
    ({
      ...env,
      ROUTING: {
        ...routing,
        destinations: {
          ...routing.destinations,
          "main-slack": {
            ...routing.destinations["main-slack"],
            quiet_hours: [{ days: ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] }],
            during_quiet: during,
          },
        },
      },
    }) as unknown as Env;
  results.deferred = await measure(
    "deferred",
    async (i, run) => event(closeEvent({ triggerId: `${run}-${i}` })),
    quiet("defer"),
    "main-slack",
  );
  results.digested = await measure(
    "digested",
    async (i, run) => event(closeEvent({ triggerId: `${run}-${i}` })),
    quiet("digest"),
    "main-slack",
  );
  // Counted by one digest (test/support/test-env.ts "test-day" counts sessions with this tag): one object call more.
  results.digest = await measure("digest", async (i, run) =>
    event(closeEvent({ triggerId: `${run}-${i}` }, { tags: [DIGEST_TAGS.day], closeTime: new Date().toISOString() })),
  );
  console.log(`COST_RESULT ${JSON.stringify({ events: EVENTS, results })}`);
  expect(results.one.fetchInvocations).toBe(1);
});
