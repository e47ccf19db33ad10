// POST /events answers, through the Worker's real fetch handler with real local KV and Queues.
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { signBody } from "../../src/ingest/signature.ts";
import { dedupKey } from "../../src/storage/dedup.ts";
import { eventKey } from "../../src/storage/event-key.ts";
import { TAG } from "../support/ids.ts";
import { TEST_ROUTING, TEST_SECRET, TEST_SECRET_PREVIOUS } from "../support/test-env.ts";
import { closeEvent, post, receivedAtLeast, signedRequest } from "../support/worker.ts";

describe("POST /events: signature", () => {
  it("accepts a correctly signed event with 202 and the routed destinations", async () => {
    const event = closeEvent({}, { tags: [TAG.vip] });
    const r = await post(event);
    expect(r.status).toBe(202);
    expect(r.body).toEqual({
      status: "accepted",
      triggerId: event.triggerId,
      destinations: ["vip-slack", "main-slack"],
    });
  });

  it("accepts the previous secret during a rotation", async () => {
    expect((await post(closeEvent(), { secret: TEST_SECRET_PREVIOUS })).status).toBe(202);
  });

  it("accepts upper-case hex", async () => {
    const event = JSON.stringify(closeEvent());
    const signature = await signBody(TEST_SECRET, event);
    const r = await post(event, { signature: `sha256=${signature.slice(7).toUpperCase()}` });
    expect(r.status).toBe(202);
  });

  it("accepts a multibyte body signed over its UTF-8 bytes", async () => {
    const r = await post(closeEvent({}, { note: "고객이 환불을 요청했습니다 😊" }));
    expect(r.status).toBe(202);
  });

  it.each([
    ["missing", null],
    ["wrong prefix", "sha1=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"],
    ["short", "sha256=757107ea0eb2509fc211221cce984b8a"],
    ["non-hex", `sha256=${"z".repeat(64)}`],
    ["garbage", "🙂"],
  ])("answers 401 for a %s signature, without saying which", async (_what, signature) => {
    const r = await post(closeEvent(), { signature });
    expect(r.status).toBe(401);
    expect(r.body).toEqual({ error: "invalid signature" });
  });

  it("answers 401 for a wrong secret and for a tampered body", async () => {
    expect((await post(closeEvent(), { secret: "not the secret" })).body).toEqual({ error: "invalid signature" });
    const text = JSON.stringify(closeEvent());
    const signature = await signBody(TEST_SECRET, text);
    const tampered = text.replace("userCancel", "agentClose");
    const r = await post(tampered, { signature });
    expect(r.status).toBe(401);
  });

  it("answers 401 for a signature over the body plus a trailing newline", async () => {
    const text = JSON.stringify(closeEvent());
    const r = await post(text, { signature: await signBody(TEST_SECRET, `${text}\n`) });
    expect(r.status).toBe(401);
  });

  it("checks the signature before parsing: an unsigned non-JSON body is 401, not 400", async () => {
    const r = await post("not json", { signature: null });
    expect(r.status).toBe(401);
  });
});

describe("POST /events: bad requests", () => {
  it.each([
    ["empty body", "", "body is not valid JSON"],
    ["not JSON", "{", "body is not valid JSON"],
    ["an array", "[]", "body must be a JSON object"],
    ["no triggerId", { type: "session_state_close" }, 'missing or empty string field "triggerId"'],
    ["empty triggerId", { triggerId: "", type: "session_state_close" }, 'missing or empty string field "triggerId"'],
    ["no type", { triggerId: "t-no-type" }, 'missing or empty string field "type"'],
    ["numeric type", { triggerId: "t-num-type", type: 3 }, 'missing or empty string field "type"'],
  ])("answers 400 for %s, naming the problem", async (_what, body, message) => {
    const r = await post(body);
    expect(r.status).toBe(400);
    expect(r.body).toEqual({ error: message });
  });

  it("answers 400 for invalid UTF-8", async () => {
    const bytes = new Uint8Array([
      ...new TextEncoder().encode('{"triggerId":"u","type":"x","n":"'),
      0xc3,
      0x28,
      0x22,
      0x7d,
    ]);
    const response = await exports.default.fetch(
      new Request("https://relay.test/events", {
        method: "POST",
        headers: { "x-hub-signature": await signBody(TEST_SECRET, bytes) },
        body: bytes,
      }),
    );
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: "body is not valid UTF-8" });
  });

  it("answers 413 for a body over 256 KiB, before checking the signature", async () => {
    const r = await post("x".repeat(256 * 1024 + 1), { signature: null });
    expect(r.status).toBe(413);
  });

  it("answers 413 when the stream is longer than a lying Content-Length", async () => {
    const stream = new ReadableStream({
      start(controller) {
        for (let i = 0; i < 5; i++) controller.enqueue(new Uint8Array(64 * 1024));
        controller.close();
      },
    });
    const response = await exports.default.fetch(
      new Request("https://relay.test/events", { method: "POST", body: stream, headers: { "content-length": "10" } }),
    );
    expect(response.status).toBe(413);
  });

  it("accepts a body of exactly 256 KiB", async () => {
    const event = closeEvent();
    const base = JSON.stringify({ ...event, pad: "" });
    const padded = JSON.stringify({ ...event, pad: "p".repeat(256 * 1024 - base.length) });
    expect(new TextEncoder().encode(padded).byteLength).toBe(256 * 1024);
    expect((await post(padded)).status).toBe(202);
  });

  it.each(["GET", "PUT", "DELETE", "PATCH"])("answers 405 to %s with Allow: POST", async (method) => {
    const response = await exports.default.fetch(new Request("https://relay.test/events", { method }));
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("POST");
  });

  it("answers 404 elsewhere", async () => {
    const response = await exports.default.fetch(new Request("https://relay.test/nope"));
    expect(response.status).toBe(404);
  });
});

describe("POST /events: dedup", () => {
  it("answers duplicate for a second copy, and writes the key only once accepted", async () => {
    const event = closeEvent();
    expect((await post(event)).status).toBe(202);
    const second = await post(event);
    expect(second.status).toBe(200);
    expect(second.body).toEqual({ status: "duplicate", triggerId: event.triggerId });
    const stored = await env.DEDUP.get(dedupKey(await eventKey("TEST_APP", event.triggerId)), "json");
    expect(stored).toMatchObject({
      triggerId: event.triggerId,
      type: "session_state_close",
      destinations: ["main-slack"],
    });
  });

  it("keeps the dedup key for dedup_ttl_seconds, no longer", async () => {
    const event = closeEvent();
    const before = Math.floor(Date.now() / 1000);
    expect((await post(event)).status).toBe(202);
    const after = Math.ceil(Date.now() / 1000);
    const key = dedupKey(await eventKey("TEST_APP", event.triggerId));
    const entry = (await env.DEDUP.list({ prefix: key })).keys.find((k) => k.name === key);
    expect(entry?.expiration).toBeGreaterThanOrEqual(before + TEST_ROUTING.dedup_ttl_seconds);
    expect(entry?.expiration).toBeLessThanOrEqual(after + TEST_ROUTING.dedup_ttl_seconds);
  });

  it("does not treat the same triggerId under another appCode as a duplicate", async () => {
    const event = closeEvent();
    expect((await post(event)).status).toBe(202);
    expect((await post({ ...event, appCode: "OTHER_APP" })).status).toBe(202);
  });

  it("routes unknown event types like any other, and uses the fallback when nothing matches", async () => {
    const r = await post({ triggerId: `future-${crypto.randomUUID()}`, type: "session_state_future" });
    expect(r.status).toBe(202);
    expect(r.body.destinations).toEqual(["ops"]);
  });
});

describe("GET /health", () => {
  it("reports version and config counts, and nothing secret", async () => {
    const response = await exports.default.fetch(new Request("https://relay.test/health"));
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body).toEqual({
      status: "ok",
      version: expect.any(String),
      secret: { set: true },
      config: {
        valid: true,
        rules: TEST_ROUTING.rules.length,
        destinations: Object.keys(TEST_ROUTING.destinations).length,
      },
    });
    expect(JSON.stringify(body)).not.toContain("127.0.0.1");
  });

  it("says misconfigured when GITPLE_SECRET is not set, without any value", async () => {
    const { default: relay } = await import("../../src/index.ts");
    const ctx = { waitUntil() {}, passThroughOnException() {}, props: {} };
    const response = await relay.fetch(
      new Request("https://relay.test/health"),
      { ...env, GITPLE_SECRET: "" } as Env,
      ctx as never,
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      status: "misconfigured",
      secret: { set: false },
      config: { valid: true },
    });
  });
});

describe("POST /events: misconfiguration", () => {
  const worker = exports.default as unknown as { fetch(r: Request, env: unknown, ctx: unknown): Promise<Response> };
  const ctx = { waitUntil() {}, passThroughOnException() {}, props: {} };

  it("fails closed with 500 when GITPLE_SECRET is not set, before the signature", async () => {
    const { default: relay } = await import("../../src/index.ts");
    for (const secret of [undefined, ""]) {
      const response = await relay.fetch(
        await signedRequest(closeEvent()),
        { ...env, GITPLE_SECRET: secret } as Env,
        ctx as never,
      );
      expect(response.status).toBe(500);
      expect(await response.json()).toEqual({ error: "relay misconfigured" });
    }
    void worker;
  });

  it("answers 500 for a signed event when the routing config is invalid, 401 for an unsigned one", async () => {
    const { default: relay } = await import("../../src/index.ts");
    const broken = { ...env, ROUTING: { rules: [{ name: "x", destinations: ["nowhere"] }] } } as unknown as Env;
    const signed = await relay.fetch(await signedRequest(closeEvent()), broken, ctx as never);
    expect(signed.status).toBe(500);
    expect(await signed.json()).toEqual({ error: "relay misconfigured" });
    const unsigned = await relay.fetch(await signedRequest(closeEvent(), { signature: null }), broken, ctx as never);
    expect(unsigned.status).toBe(401);
  });

  it("answers 503 and writes no dedup key when the queue fails, so the sender's retry is accepted", async () => {
    const { default: relay } = await import("../../src/index.ts");
    const event = closeEvent();
    const failingQueue = {
      send: () => Promise.reject(new Error("queue down")),
      sendBatch: () => Promise.reject(new Error("queue down")),
    };
    const down = { ...env, DELIVERIES: failingQueue } as unknown as Env;
    const first = await relay.fetch(await signedRequest(event), down, ctx as never);
    expect(first.status).toBe(503);
    expect(await env.DEDUP.get(dedupKey(await eventKey("TEST_APP", event.triggerId)))).toBeNull();
    expect((await post(event)).status).toBe(202);
    expect(await receivedAtLeast(event.triggerId, 1)).toHaveLength(1);
  });

  it("answers 503 when KV fails", async () => {
    const { default: relay } = await import("../../src/index.ts");
    const failingKv = {
      get: () => Promise.reject(new Error("kv down")),
      put: () => Promise.reject(new Error("kv down")),
    };
    const down = { ...env, DEDUP: failingKv } as unknown as Env;
    const event = closeEvent();
    const response = await relay.fetch(await signedRequest(event), down, ctx as never);
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ error: "temporarily unavailable, retry later" });
    // Nothing was queued or remembered: the sender's retry, once KV is back, is accepted and delivered once.
    expect(await env.DEDUP.get(dedupKey(await eventKey("TEST_APP", event.triggerId)))).toBeNull();
    expect((await post(event)).status).toBe(202);
    expect(await receivedAtLeast(event.triggerId, 1)).toHaveLength(1);
  });
});
