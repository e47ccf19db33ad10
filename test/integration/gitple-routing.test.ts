// Issue 10 against the real Open API stand-in (a local HTTP server): rules by name, the name cache,
// a category matched by its root, a 404 id, a 401, a 500 then success, a hang past the timeout
// (deferred routing, delivered exactly once), meta, and /health. Ingest runs through the Worker's
// fetch with a [vars.ROUTING.gitple] config of the test's own; the queue is a recording one and the
// consumer is driven directly (test/support/queue.ts), so each step is seen.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { demoExternalMessageEvent, demoSessionEvent, DEMO_IDS as I } from "../../scripts/lib/gitple-demo-data.ts";
import relay from "../../src/index.ts";
import type { DeliveryMessage } from "../../src/storage/delivery-message.ts";
import type { RoutingMessage } from "../../src/storage/routing-message.ts";
import { admin, recordingQueue } from "../support/admin.ts";
import { consume, drive } from "../support/queue.ts";
import { GITPLE_TEST_API_SECRET, GITPLE_WRONG_API_SECRET, TEST_ROUTING } from "../support/test-env.ts";
import { received, receivedAtLeast, signedRequest, uniqueId } from "../support/worker.ts";
import { type Workspace, workspace } from "../unit/gitple/stand-in.ts";

const ctx = { waitUntil() {}, passThroughOnException() {}, props: {} };

const RULES = [
  { name: "vip by name", tags: { any: ["VIP"] }, destinations: ["vip-slack"] },
  { name: "parcels by root category", categories: { any: ["배송"] }, destinations: ["main-slack"] },
  { name: "gold customers", meta: { plan: ["gold"] }, destinations: ["second-slack"] },
];

interface Setup {
  ws: Workspace;
  queue: ReturnType<typeof recordingQueue>;
  runEnv: Env;
  post(event: object): Promise<{ status: number; body: Record<string, unknown>; ms: number }>;
  health(): Promise<Record<string, unknown>>;
}

async function setup(
  options: { rules?: unknown[]; secret?: string; timeoutSeconds?: number; maxAttempts?: number } = {},
): Promise<Setup> {
  const ws = await workspace();
  const queue = recordingQueue();
  const runEnv = {
    ...env,
    ROUTING: {
      ...TEST_ROUTING,
      delivery: { ...TEST_ROUTING.delivery, max_attempts: options.maxAttempts ?? TEST_ROUTING.delivery.max_attempts },
      rules: options.rules ?? RULES,
      gitple: {
        api_secret: options.secret ?? "GITPLE_API_SECRET",
        api_url: ws.conn.apiUrl,
        timeout_seconds: options.timeoutSeconds ?? 1,
      },
    },
    DELIVERIES: queue,
  } as unknown as Env;
  return {
    ws,
    queue,
    runEnv,
    async post(event) {
      const started = Date.now();
      const response = await relay.fetch(await signedRequest(event), runEnv, ctx as never);
      return { status: response.status, body: await response.json(), ms: Date.now() - started };
    },
    async health() {
      const response = await relay.fetch(new Request("https://relay.test/health"), runEnv, ctx as never);
      return response.json();
    },
  };
}

/** A close event of the demo session (ids only) in the test's workspace, with a session id of its own. */
function closeOf(ws: Workspace, session: Record<string, unknown> = {}) {
  const event = demoSessionEvent("session_state_close", uniqueId("gitple"), ws.appCode);
  return { ...event, session: { ...event.session, id: uniqueId("s"), ...session } };
}

const deliveries = (sent: unknown[]) => sent as DeliveryMessage[];

/** Each delivery driven until acked (the fake receiver may drop a connection on a busy machine; retries cover it). */
async function deliverAll(messages: unknown[], runEnv: Env): Promise<void> {
  await Promise.all(deliveries(messages).map((m) => drive(m, runEnv)));
}

describe("rules by name through the Open API", () => {
  it("names resolve, rules match by name and by a root category three levels up, meta of the session's user", async () => {
    const s = await setup();
    const event = closeOf(s.ws);
    const answer = await s.post(event);
    expect(answer.status).toBe(202);
    expect(answer.body).toEqual({
      status: "accepted",
      triggerId: event.triggerId,
      destinations: ["vip-slack", "main-slack", "second-slack"],
    });
    const calls = await s.ws.calls();
    // Every id once (2 tags, the category and its 2 ancestors, 1 group, the user, the agent), ≤ 6 in flight.
    expect(calls.total).toBe(8);
    expect(Object.values(calls.calls).every((n) => n === 1)).toBe(true);
    expect(calls.maxInFlight).toBeLessThanOrEqual(6);
    // The names travel with each delivery message.
    const sent = deliveries(s.queue.sent);
    expect(sent.map((m) => [m.destination, m.rules])).toEqual([
      ["vip-slack", ["vip by name"]],
      ["main-slack", ["parcels by root category"]],
      ["second-slack", ["gold customers"]],
    ]);
    const names = sent[0]?.names;
    expect(names?.names.sessionTags[I.sessionTags.vip]).toEqual({ name: "VIP" });
    expect(names?.categoryPaths[I.categories.parcelLost]?.map((step) => step.name)).toEqual([
      "배송",
      "분실",
      "택배 분실",
    ]);
    expect(names?.names.users[I.users.park]?.name).toBe("박지훈");
    expect(names?.names.agents[I.agents.kim]?.name).toBe("김민준");
    // Delivered: each destination once, at the receiver.
    await deliverAll(s.queue.sent, s.runEnv);
    for (const hook of ["/hook/vip", "/hook/main", "/hook/second"]) {
      expect(
        (await receivedAtLeast(event.session.id, 3)).filter((r) => r.path === hook),
        hook,
      ).toHaveLength(1);
    }
  });

  it("POST /admin/explain resolves names as ingest does: rules by name match, the messages show names", async () => {
    const s = await setup();
    const event = closeOf(s.ws);
    const r = await admin("/explain?render=1", { method: "POST", body: event, env: s.runEnv });
    expect(r.status).toBe(200);
    expect(r.body.destinations).toEqual(["vip-slack", "main-slack", "second-slack"]);
    expect(r.body.rules).toEqual([
      { name: "vip by name", matched: true },
      { name: "parcels by root category", matched: true },
      { name: "gold customers", matched: true },
    ]);
    expect(r.body).not.toHaveProperty("names");
    const slack = JSON.stringify((r.body.messages as { body: unknown }[])[0]?.body);
    expect(slack).toContain("박지훈");
    expect(slack).toContain("VIP");
    // Nothing queued: explaining sends nothing.
    expect(s.queue.sent).toEqual([]);
  });

  it("POST /admin/explain when Gitple hangs: answers within the timeout, routed by ids, and says names are unavailable", async () => {
    const s = await setup({ timeoutSeconds: 1 });
    await s.ws.misbehave("*", ...Array.from({ length: 20 }, () => ({ hang: true })));
    const started = Date.now();
    const r = await admin("/explain", { method: "POST", body: closeOf(s.ws), env: s.runEnv });
    expect(Date.now() - started).toBeLessThan(2500);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ destinations: ["ops"], fallback: true, names: "unavailable" });
  });

  it("the second event hits the cache: no Open API call", async () => {
    const s = await setup();
    expect((await s.post(closeOf(s.ws))).status).toBe(202);
    const before = (await s.ws.calls()).total;
    expect(before).toBeGreaterThan(0);
    const second = await s.post(closeOf(s.ws));
    expect(second.body.destinations).toEqual(["vip-slack", "main-slack", "second-slack"]);
    expect((await s.ws.calls()).total).toBe(before);
  });

  it("an id Gitple answers 404 for routes on, shows as the id, and is not asked for again", async () => {
    const s = await setup();
    const ghost = "5cc7a10000000000000000ff";
    const event = closeOf(s.ws, { tags: [ghost] });
    const answer = await s.post(event);
    expect(answer.body.destinations).toEqual(["main-slack", "second-slack"]);
    const names = deliveries(s.queue.sent)[0]?.names;
    expect(names?.names.sessionTags[ghost]).toBeUndefined();
    expect(names?.pending).toEqual([]);
    await s.post(closeOf(s.ws, { tags: [ghost] }));
    expect((await s.ws.calls()).calls[`/exports/sessionTags/${ghost}`]).toBe(1);
  });

  it("meta on send_external_message reads to.meta (no lookup needed for it)", async () => {
    const s = await setup();
    const gold = demoExternalMessageEvent(uniqueId("msg"), s.ws.appCode);
    expect((await s.post(gold)).body.destinations).toEqual(["second-slack"]);
    const silver = { ...gold, triggerId: uniqueId("msg"), to: { ...gold.to, meta: { plan: "silver" } } };
    expect((await s.post(silver)).body.destinations).toEqual(["ops"]); // the fallback
  });

  it("a session's user with other meta does not match", async () => {
    const s = await setup({ rules: [RULES[2]] });
    expect((await s.post(closeOf(s.ws, { userId: I.users.choi }))).body.destinations).toEqual(["ops"]);
    expect((await s.post(closeOf(s.ws))).body.destinations).toEqual(["second-slack"]);
  });
});

describe("when the Open API fails", () => {
  it("401: 202, routed on ids, /health shows the problem, the secret nowhere", async () => {
    const rules = [...RULES, { name: "vip by id", tags: { any: [I.sessionTags.vip] }, destinations: ["main-slack"] }];
    const s = await setup({ rules, secret: "GITPLE_API_SECRET_WRONG" });
    const event = closeOf(s.ws);
    const answer = await s.post(event);
    expect(answer.status).toBe(202);
    expect(answer.body.destinations).toEqual(["main-slack"]);
    expect(answer.body.routing).toBeUndefined();
    // After the 401 no further request for the event.
    expect((await s.ws.calls()).total).toBeLessThanOrEqual(6);
    const health = await s.health();
    expect(health.gitple).toEqual({
      configured: true,
      secret: { set: true },
      problem: expect.stringMatching(/401.*check/i),
    });
    const everything = JSON.stringify([answer.body, health, s.queue.sent]);
    expect(everything).not.toContain(GITPLE_WRONG_API_SECRET);
    expect(everything).not.toContain(GITPLE_TEST_API_SECRET);
    // Once fixed, a lookup that succeeds clears the problem.
    const fixed = await setup();
    await fixed.post(closeOf(fixed.ws));
    expect((await fixed.health()).gitple).toEqual({ configured: true, secret: { set: true } });
  });

  it("500 then success: deferred at ingest, routed by the consumer, delivered once", async () => {
    const s = await setup();
    await s.ws.misbehave(`/exports/sessionTags/${I.sessionTags.vip}`, { status: 500 });
    const event = closeOf(s.ws);
    const answer = await s.post(event);
    expect(answer.status).toBe(202);
    expect(answer.body).toEqual({
      status: "accepted",
      triggerId: event.triggerId,
      destinations: [],
      routing: "deferred",
    });
    expect(s.queue.sent).toHaveLength(1);
    const routing = s.queue.sent[0] as RoutingMessage;
    expect(routing).toMatchObject({ v: 1, kind: "routing", triggerId: event.triggerId, appCode: s.ws.appCode });
    const tracked = await admin(`/deliveries?triggerId=${event.triggerId}`, { env: s.runEnv });
    expect(tracked.body.events).toEqual([expect.objectContaining({ routing: "deferred", destinations: [] })]);

    s.queue.sent.length = 0;
    expect((await consume([routing], s.runEnv)).acked).toHaveLength(1);
    expect(deliveries(s.queue.sent).map((m) => m.destination)).toEqual(["vip-slack", "main-slack", "second-slack"]);
    const routed = await admin(`/deliveries?triggerId=${event.triggerId}`, { env: s.runEnv });
    const [record] = routed.body.events as Record<string, unknown>[];
    expect(record?.routing).toBeUndefined();
    expect(((record?.destinations ?? []) as { destination: string }[]).map((d) => d.destination)).toEqual([
      "vip-slack",
      "main-slack",
      "second-slack",
    ]);
    await deliverAll(s.queue.sent, s.runEnv);
    expect(await receivedAtLeast(event.session.id, 3)).toHaveLength(3);
  });

  it("a hang past timeout_seconds: ingest answers in time, deferred; a routing message delivered twice posts once", async () => {
    const s = await setup({ timeoutSeconds: 1 });
    const path = `/exports/users/${I.users.park}`;
    await s.ws.misbehave(path, { hang: true }, { hang: true });
    const event = closeOf(s.ws);
    const answer = await s.post(event);
    expect(answer.body).toMatchObject({ destinations: [], routing: "deferred" });
    expect(answer.ms).toBeLessThan(2500);
    const routing = s.queue.sent.splice(0) as RoutingMessage[];
    expect(routing).toHaveLength(1);

    // First consumer attempt: still hanging → retried with the delivery backoff, nothing fanned out.
    const first = await consume(routing, s.runEnv, 1);
    expect(first.retried).toHaveLength(1);
    expect(s.queue.sent).toHaveLength(0);
    // The queue delivers it again, twice (at least once): both copies route; the claims keep it to one post each.
    expect((await consume([routing[0]], s.runEnv, 2)).acked).toHaveLength(1);
    const fanned = deliveries(s.queue.sent.splice(0));
    expect((await consume([routing[0]], s.runEnv, 3)).acked).toHaveLength(1);
    const again = deliveries(s.queue.sent.splice(0));
    expect(again.map((m) => m.destination)).toEqual(fanned.map((m) => m.destination));
    await deliverAll(fanned, s.runEnv);
    expect((await consume(again, s.runEnv)).acked).toHaveLength(3); // already delivered: acked, nothing posted
    const got = await receivedAtLeast(event.session.id, 3);
    expect(got.map((r) => r.path).sort()).toEqual(["/hook/main", "/hook/second", "/hook/vip"]);
    expect((await s.ws.calls()).calls[path]).toBeGreaterThanOrEqual(3);
  });

  it("names unavailable through max_attempts: routes on ids alone and says so", async () => {
    const rules = [...RULES, { name: "vip by id", tags: { any: [I.sessionTags.vip] }, destinations: ["main-slack"] }];
    const s = await setup({ rules, maxAttempts: 3 });
    await s.ws.misbehave("*", ...Array.from({ length: 40 }, () => ({ status: 503 })));
    const event = closeOf(s.ws);
    expect((await s.post(event)).body).toMatchObject({ routing: "deferred" });
    const routing = s.queue.sent.splice(0);
    expect((await consume(routing, s.runEnv, 2)).retried).toHaveLength(1);
    expect((await consume(routing, s.runEnv, 3)).acked).toHaveLength(1);
    expect(deliveries(s.queue.sent).map((m) => [m.destination, m.rules])).toEqual([["main-slack", ["vip by id"]]]);
    await deliverAll(s.queue.sent, s.runEnv);
    expect((await receivedAtLeast(event.session.id, 1)).map((r) => r.path)).toEqual(["/hook/main"]);
  });
});

describe("/health and the config", () => {
  it("shows the gitple block with the table, never a value; without it, no block", async () => {
    const s = await setup();
    expect((await s.health()).gitple).toEqual({ configured: true, secret: { set: true } });
    const unset = await setup({ secret: "GITPLE_API_SECRET_UNSET" });
    expect((await unset.health()).gitple).toEqual({ configured: true, secret: { set: false } });
    // Secret not set: routed on ids, no call made.
    expect((await unset.post(closeOf(unset.ws))).status).toBe(202);
    expect((await unset.ws.calls()).total).toBe(0);
    const plain = await relay.fetch(new Request("https://relay.test/health"), env as Env, ctx as never);
    expect(await plain.json()).not.toHaveProperty("gitple");
  });

  it("without the table the relay looks nothing up (names absent from the messages)", async () => {
    const queue = recordingQueue();
    const runEnv = { ...env, DELIVERIES: queue } as unknown as Env;
    const ws = await workspace();
    const response = await relay.fetch(await signedRequest(closeOf(ws)), runEnv, ctx as never);
    expect(response.status).toBe(202);
    expect(deliveries(queue.sent).every((m) => m.names === undefined)).toBe(true);
    expect((await ws.calls()).total).toBe(0);
    expect(await received("never-sent")).toEqual([]);
  });
});
