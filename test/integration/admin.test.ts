// The admin API's gate and POST /admin/explain, through the Worker's real fetch handler.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { dedupKey } from "../../src/storage/dedup.ts";
import { eventKey } from "../../src/storage/event-key.ts";
import { admin } from "../support/admin.ts";
import { TAG } from "../support/ids.ts";
import { ADMIN_TOKEN, TEST_ROUTING } from "../support/test-env.ts";
import { closeEvent, post, received } from "../support/worker.ts";

const ROUTES: Array<[string, string]> = [
  ["POST", "/explain"],
  ["GET", "/dead-letters"],
  ["GET", `/dead-letters/${"0".repeat(32)}.ops`],
  ["DELETE", `/dead-letters/${"0".repeat(32)}.ops`],
  ["POST", `/dead-letters/${"0".repeat(32)}.ops/replay`],
  ["GET", "/deliveries?triggerId=t"],
  ["GET", "/nope"],
  // GET /admin is the console's sign-in page (test/integration/console.test.ts); other methods stay the API's.
  ["POST", ""],
];

describe("admin API: authentication", () => {
  it.each(ROUTES)("%s /admin%s without a token is 401 with a Bearer challenge", async (method, path) => {
    const r = await admin(path, { method, token: null });
    expect(r.status).toBe(401);
    expect(r.response.headers.get("www-authenticate")).toMatch(/^Bearer realm=/);
    expect(r.body).toEqual({ error: "unauthorized: send Authorization: Bearer <ADMIN_TOKEN>" });
  });

  it.each([
    ["a wrong token", `x${ADMIN_TOKEN.slice(1)}`],
    ["a prefix of the token", ADMIN_TOKEN.slice(0, -1)],
    ["the token plus a character", `${ADMIN_TOKEN}x`],
    ["a short token", "x"],
  ])("answers 401 invalid_token for %s", async (_what, token) => {
    const r = await admin("/dead-letters", { token });
    expect(r.status).toBe(401);
    expect(r.response.headers.get("www-authenticate")).toBe('Bearer realm="gitple-relay admin", error="invalid_token"');
  });

  it.each([
    ["another scheme", `Basic ${btoa(`admin:${ADMIN_TOKEN}`)}`],
    ["the bare token", ADMIN_TOKEN],
    ["an empty bearer", "Bearer "],
    ["two tokens", `Bearer ${ADMIN_TOKEN} ${ADMIN_TOKEN}`],
  ])("answers 401 for %s in Authorization", async (_what, authorization) => {
    const r = await admin("/dead-letters", { token: null, headers: { authorization } });
    expect(r.status).toBe(401);
  });

  it("accepts the token, with the scheme in any case, and marks answers uncacheable", async () => {
    const r = await admin("/dead-letters?limit=1", {
      token: null,
      headers: { authorization: `bearer ${ADMIN_TOKEN}` },
    });
    expect(r.status).toBe(200);
    expect(r.response.headers.get("cache-control")).toBe("no-store");
  });

  it.each([
    ["unset", undefined],
    ["empty", ""],
  ])("is off (404 everywhere, token or not) when ADMIN_TOKEN is %s", async (_what, token) => {
    const off = { ...env, ADMIN_TOKEN: token };
    for (const [method, path] of ROUTES) {
      for (const sent of [ADMIN_TOKEN, null]) {
        const r = await admin(path, { method, token: sent, env: off });
        expect(r.status, `${method} ${path}`).toBe(404);
        expect(r.body).toEqual({ error: "not found" });
        expect(r.response.headers.get("www-authenticate")).toBeNull();
      }
    }
  });

  it("answers 404 for an unknown admin path and 405 with Allow for a wrong method", async () => {
    expect((await admin("/nope")).status).toBe(404);
    const r = await admin("/explain");
    expect(r.status).toBe(405);
    expect(r.response.headers.get("allow")).toBe("POST");
    const d = await admin("/dead-letters", { method: "POST" });
    expect(d.status).toBe(405);
    expect(d.response.headers.get("allow")).toBe("GET");
  });
});

describe("POST /admin/explain", () => {
  it("answers like the CLI's --json against the deployed config, and sends nothing", async () => {
    const event = closeEvent({}, { tags: [TAG.vip] });
    const r = await admin("/explain", { method: "POST", body: event });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      destinations: ["vip-slack", "main-slack"],
      fallback: false,
      rules: [
        { name: "vip", matched: true },
        { name: "closes", matched: false, failed: 'not evaluated (stopped by "vip")' },
        { name: "two", matched: false, failed: 'not evaluated (stopped by "vip")' },
        { name: "messages", matched: false, failed: 'not evaluated (stopped by "vip")' },
        ...TEST_ROUTING.rules
          .slice(4)
          .map((rule) => ({ name: rule.name, matched: false, failed: 'not evaluated (stopped by "vip")' })),
      ],
    });
    // Nothing queued, nothing remembered: the same event is still new to /events.
    expect(await env.DEDUP.get(dedupKey(await eventKey("TEST_APP", event.triggerId)))).toBeNull();
    await new Promise((r) => setTimeout(r, 300));
    expect(await received(event.triggerId)).toEqual([]);
    expect((await post(event)).status).toBe(202);
  });

  it("names the failed condition of each rule, and the fallback when nothing matches", async () => {
    const r = await admin("/explain", { method: "POST", body: { triggerId: "x", type: "session_state_open" } });
    expect(r.body).toEqual({
      destinations: ["ops"],
      fallback: true,
      rules: [
        { name: "vip", matched: false, failed: "tags.any" },
        { name: "closes", matched: false, failed: "events" },
        { name: "two", matched: false, failed: "tags.any" },
        { name: "messages", matched: false, failed: "events" },
        // The rules of the other destination kinds route by a tag of their own.
        ...TEST_ROUTING.rules.slice(4).map((rule) => ({ name: rule.name, matched: false, failed: "tags.any" })),
      ],
    });
  });

  it.each([
    ["empty body", "", "body is not valid JSON"],
    ["not JSON", "{", "body is not valid JSON"],
    ["an array", "[]", "body must be a JSON object"],
    ["no triggerId", { type: "session_state_close" }, 'missing or empty string field "triggerId"'],
    ["no type", { triggerId: "t" }, 'missing or empty string field "type"'],
    [
      "a long appCode",
      { triggerId: "t", type: "x", appCode: "a".repeat(257) },
      'field "appCode" is longer than 256 characters',
    ],
  ])("answers 400 for %s, with /events' message", async (_what, body, message) => {
    const r = await admin("/explain", { method: "POST", body });
    expect(r.status).toBe(400);
    expect(r.body).toEqual({ error: message });
  });

  it("answers 413 for a body over 256 KiB", async () => {
    const r = await admin("/explain", { method: "POST", body: "x".repeat(256 * 1024 + 1) });
    expect(r.status).toBe(413);
  });

  it("answers 500 when the deployed config is invalid", async () => {
    const broken = { ...env, ROUTING: { rules: [{ name: "x", destinations: ["nowhere"] }] } };
    const r = await admin("/explain", { method: "POST", body: closeEvent(), env: broken });
    expect(r.status).toBe(500);
    expect(r.body).toEqual({ error: "relay misconfigured" });
  });
});
