// Log lines and Analytics Engine counters, through the Worker's real fetch and
// queue handlers: with a recording METRICS binding, without one, and with one that throws.
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { recordDeadLetter } from "../../src/delivery/dead-letters.ts";
import relay from "../../src/index.ts";
import { deliveryOf, recordingQueue } from "../support/admin.ts";
import { bindings, closeEvent, receivedAtLeast, signedRequest } from "../support/worker.ts";

const ctx = { waitUntil() {}, passThroughOnException() {}, props: {} };

function recordingMetrics() {
  const points: AnalyticsEngineDataPoint[] = [];
  return { points, writeDataPoint: (p?: AnalyticsEngineDataPoint) => void points.push(p ?? {}) };
}

function withoutMetrics(): Env {
  const { METRICS: _dropped, ...rest } = env as Env;
  return rest as Env;
}

async function fetchWith(request: Request, bindings: object): Promise<Response> {
  return relay.fetch(request, bindings as unknown as Env, ctx as never);
}

async function deliverWith(bindings: object, body: unknown) {
  const batch = createMessageBatch("gitple-relay-deliveries", [
    { id: crypto.randomUUID(), timestamp: new Date(), attempts: 1, body },
  ]);
  const context = createExecutionContext();
  await relay.queue(batch as MessageBatch<unknown>, bindings as unknown as Env);
  return getQueueResult(batch, context);
}

/** The JSON log lines written while `run` ran. */
async function logLines(run: () => Promise<unknown>): Promise<Array<Record<string, unknown>>> {
  const lines: string[] = [];
  // Each line still reaches the console, so the run's secrets check sees it too.
  const { log, warn, error } = console;
  const tee =
    (write: (...args: unknown[]) => void) =>
    (...args: unknown[]) => {
      lines.push(String(args[0]));
      write(...args);
    };
  const spies = [
    vi.spyOn(console, "log").mockImplementation(tee(log)),
    vi.spyOn(console, "warn").mockImplementation(tee(warn)),
    vi.spyOn(console, "error").mockImplementation(tee(error)),
  ];
  try {
    await run();
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
  return lines.map((l) => JSON.parse(l) as Record<string, unknown>);
}

afterEach(() => vi.restoreAllMocks());

describe("metrics (Analytics Engine)", () => {
  it("the deployed config binds METRICS, so the suite runs with it", () => {
    expect(typeof (env as Env).METRICS?.writeDataPoint).toBe("function");
  });

  it("counts events by type and outcome: accepted, duplicate, rejected with the reason", async () => {
    const metrics = recordingMetrics();
    const bindings = { ...env, METRICS: metrics };
    const event = closeEvent();
    expect((await fetchWith(await signedRequest(event), bindings)).status).toBe(202);
    expect((await fetchWith(await signedRequest(event), bindings)).status).toBe(200);
    expect((await fetchWith(await signedRequest(event, { secret: "wrong" }), bindings)).status).toBe(401);
    expect(metrics.points.map((p) => ({ indexes: p.indexes, blobs: p.blobs }))).toEqual([
      {
        indexes: ["event"],
        blobs: ["event", "session_state_close", "", "accepted", "routed", "TEST_APP"],
      },
      {
        indexes: ["event"],
        blobs: ["event", "session_state_close", "", "duplicate", "", "TEST_APP"],
      },
      { indexes: ["event"], blobs: ["event", "", "", "rejected", "signature_invalid", ""] },
    ]);
    expect(metrics.points[0]?.doubles).toEqual([0, 0, expect.any(Number)]);
  });

  it("counts deliveries by destination and outcome, with status, attempt and duration", async () => {
    const metrics = recordingMetrics();
    const event = closeEvent();
    const result = await deliverWith({ ...env, METRICS: metrics }, await deliveryOf(event));
    expect(result.explicitAcks).toHaveLength(1);
    expect(metrics.points).toEqual([
      {
        indexes: ["delivery"],
        blobs: ["delivery", "session_state_close", "main-slack", "delivered", "", "TEST_APP"],
        doubles: [200, 1, expect.any(Number)],
      },
    ]);
  });

  it("counts dead letters by destination", async () => {
    const metrics = recordingMetrics();
    const event = closeEvent();
    await recordDeadLetter(
      { ...env, METRICS: metrics },
      {
        kind: "dead-letter",
        delivery: await deliveryOf(event, "ops"),
        reason: "HTTP 404",
        attempts: 1,
        lastStatus: 404,
        deadAt: new Date().toISOString(),
      },
    );
    expect(metrics.points).toEqual([
      {
        indexes: ["dead-letter"],
        blobs: ["dead-letter", "session_state_close", "ops", "dead", "", "TEST_APP"],
        doubles: [404, 0, 0],
      },
    ]);
  });

  it("works without the binding: the event is accepted and delivered", async () => {
    const bindings = withoutMetrics();
    expect("METRICS" in bindings).toBe(false);
    const event = closeEvent();
    // Only this test's consumer call delivers: the accepted message goes to a recorder.
    const queue = recordingQueue();
    expect((await fetchWith(await signedRequest(event), { ...bindings, DELIVERIES: queue })).status).toBe(202);
    expect(queue.sent).toHaveLength(1);
    expect((await deliverWith(bindings, queue.sent[0])).explicitAcks).toHaveLength(1);
    expect(await receivedAtLeast(event.triggerId, 1)).toHaveLength(1);
  });

  it("works when the binding throws", async () => {
    const broken = {
      writeDataPoint: () => {
        throw new Error("analytics down");
      },
    };
    const event = closeEvent();
    const queue = recordingQueue();
    expect((await fetchWith(await signedRequest(event), { ...env, METRICS: broken, DELIVERIES: queue })).status).toBe(
      202,
    );
    expect((await deliverWith({ ...env, METRICS: broken }, queue.sent[0])).explicitAcks).toHaveLength(1);
    expect(await receivedAtLeast(event.triggerId, 1)).toHaveLength(1);
  });
});

describe("log lines", () => {
  it("writes one line per accepted event and per delivery attempt, with the operator's fields", async () => {
    const event = closeEvent();
    const accepted = await logLines(async () => {
      expect(
        (await fetchWith(await signedRequest(event), { ...env, DELIVERIES: { sendBatch: async () => {} } })).status,
      ).toBe(202);
    });
    expect(accepted).toEqual([
      {
        level: "info",
        msg: "event accepted",
        triggerId: event.triggerId,
        type: "session_state_close",
        appCode: "TEST_APP",
        outcome: "routed",
        destinations: ["main-slack"],
        durationMs: expect.any(Number),
      },
    ]);

    const attempt = await logLines(async () => deliverWith(env, await deliveryOf(event)));
    expect(attempt).toEqual([
      {
        level: "info",
        msg: "delivery attempt",
        triggerId: event.triggerId,
        type: "session_state_close",
        destination: "main-slack",
        outcome: "delivered",
        status: 200,
        attempt: 1,
        durationMs: expect.any(Number),
      },
    ]);
  });

  // Webhook URLs are secrets; platform errors quote the URL they failed on.
  const webhookUrl = () => `${bindings.SLACK_MAIN_URL}/T0000/B0000/XXXXXXXX?token=abc`;

  it("logs a queue binding's error that quotes a webhook URL without the URL", async () => {
    const event = closeEvent();
    const failing = { sendBatch: () => Promise.reject(new TypeError(`fetch failed: ${webhookUrl()} (reset)`)) };
    const lines = await logLines(async () => {
      expect((await fetchWith(await signedRequest(event), { ...env, DELIVERIES: failing })).status).toBe(503);
    });
    expect(lines).toContainEqual({
      level: "error",
      msg: "enqueue failed",
      triggerId: event.triggerId,
      error: "TypeError: fetch failed: [url] (reset)",
    });
    expect(JSON.stringify(lines)).not.toContain(bindings.SLACK_MAIN_URL);
  });

  it("logs a delivery's error that quotes a webhook URL without the URL", async () => {
    const event = closeEvent();
    const reject = () => Promise.reject(new Error(`POST ${webhookUrl()} failed: connection reset`));
    const claims = { idFromName: () => ({}), get: () => ({ claim: reject, delivered: reject, failed: reject }) };
    const lines = await logLines(async () => deliverWith({ ...env, CLAIMS: claims }, await deliveryOf(event)));
    expect(lines).toEqual([
      {
        level: "error",
        msg: "delivery interrupted; will retry",
        triggerId: event.triggerId,
        type: "session_state_close",
        destination: "main-slack",
        outcome: "error",
        error: "Error: POST [url] failed: connection reset",
      },
    ]);
    expect(JSON.stringify(lines)).not.toContain(bindings.SLACK_MAIN_URL);
  });

  it("writes a rejected event's reason and outcome", async () => {
    const lines = await logLines(async () => fetchWith(await signedRequest(closeEvent(), { signature: null }), env));
    expect(lines).toEqual([
      { level: "warn", msg: "event rejected", reason: "signature_invalid", outcome: "rejected", status: 401 },
    ]);
  });

  it("writes the same outcome for a 500, with the config problems", async () => {
    const broken = { ...env, ROUTING: { destinations: {}, fallback: ["nowhere"] } } as unknown as Env;
    const lines = await logLines(async () => fetchWith(await signedRequest(closeEvent()), broken));
    expect(lines).toEqual([
      {
        level: "error",
        msg: "event rejected: routing config invalid",
        reason: "config_invalid",
        outcome: "rejected",
        status: 500,
        problems: ['fallback[0]: unknown destination "nowhere"'],
      },
    ]);
  });
});
