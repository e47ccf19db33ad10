import { describe, expect, it } from "vitest";
import { DEMO_IDS } from "../../../scripts/lib/gitple-demo-data.ts";
import { gitpleGet } from "../../../src/gitple/client.ts";
import { STAND_IN_SECRET, workspace } from "./stand-in.ts";

const tag = DEMO_IDS.sessionTags.vip;
const tagPath = `/exports/sessionTags/${tag}`;
const soon = () => Date.now() + 2000;

describe("gitpleGet: Gitple's error table as tagged outcomes", () => {
  it("200: the answer, requested with the app-code and secret headers the stand-in checks", async () => {
    const ws = await workspace();
    const r = await gitpleGet(ws.conn, ["exports", "sessionTags", tag], soon());
    expect(r).toEqual({ ok: true, value: { id: tag, name: "VIP" } });
    expect((await ws.calls()).calls).toEqual({ [tagPath]: 1 });
  });

  it("a trailing slash on api_url makes no double slash", async () => {
    const ws = await workspace();
    const r = await gitpleGet({ ...ws.conn, apiUrl: `${ws.conn.apiUrl}/` }, ["exports", "sessionTags", tag], soon());
    expect(r.ok).toBe(true);
  });

  it("404: unknown", async () => {
    const ws = await workspace();
    const r = await gitpleGet(ws.conn, ["exports", "sessionTags", "5cc7a100000000000000dead"], soon());
    expect(r).toEqual({ ok: false, error: { reason: "unknown" } });
  });

  it("401: unauthorized, saying what to check, and never the secret", async () => {
    const ws = await workspace();
    const secret = "wrong secret value 123";
    const r = await gitpleGet({ ...ws.conn, secret }, ["exports", "sessionTags", tag], soon());
    expect(r.ok).toBe(false);
    if (r.ok || r.error.reason !== "unauthorized") throw new Error(`expected unauthorized, got ${JSON.stringify(r)}`);
    expect(r.error.message).toContain("api_secret");
    expect(r.error.message).toContain(`app code "${ws.appCode}"`);
    expect(JSON.stringify(r)).not.toContain(secret);
    expect(JSON.stringify(r)).not.toContain(STAND_IN_SECRET);
  });

  it.each([
    [400, "bad_request"],
    [429, "unavailable"],
    [500, "unavailable"],
    [502, "unavailable"],
    [503, "unavailable"],
    [403, "unavailable"],
  ])("%i → %s", async (status, reason) => {
    const ws = await workspace();
    await ws.misbehave(tagPath, { status });
    const r = await gitpleGet(ws.conn, ["exports", "sessionTags", tag], soon());
    expect(r.ok ? "ok" : r.error.reason).toBe(reason);
  });

  it("a redirect is not followed (it would carry the secret elsewhere)", async () => {
    const ws = await workspace();
    await ws.misbehave(tagPath, { status: 302, headers: { location: `${ws.conn.apiUrl}/exports/sessionTags/${tag}` } });
    const r = await gitpleGet(ws.conn, ["exports", "sessionTags", tag], soon());
    expect(r.ok ? "ok" : r.error.reason).toBe("unavailable");
    expect((await ws.calls()).total).toBe(1);
  });

  it("a 200 that is not JSON: unavailable", async () => {
    const ws = await workspace();
    await ws.misbehave(tagPath, { status: 200, body: "<html>" });
    const r = await gitpleGet(ws.conn, ["exports", "sessionTags", tag], soon());
    expect(r.ok ? "ok" : r.error.reason).toBe("unavailable");
  });

  it("a hang: unavailable at the deadline, not later", async () => {
    const ws = await workspace();
    await ws.misbehave(tagPath, { hang: true });
    const started = Date.now();
    const r = await gitpleGet(ws.conn, ["exports", "sessionTags", tag], Date.now() + 300);
    expect(r.ok ? "ok" : r.error.reason).toBe("unavailable");
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it("a network error: unavailable, and the message names no URL", async () => {
    // An injected fetch: a real refused connection makes workerd print an uncaught-looking line.
    const failing = (() =>
      Promise.reject(new TypeError("Network connection lost: http://127.0.0.1:9/v1"))) as typeof fetch;
    const r = await gitpleGet(
      { apiUrl: "http://127.0.0.1:9/v1", appCode: "a", secret: "s", fetch: failing },
      ["exports", "x", "y"],
      soon(),
    );
    expect(r).toEqual({ ok: false, error: { reason: "unavailable", message: "network error (connection failed)" } });
  });

  it.each(["../agents/x", "a b", "id?x=1", "%2e%2e", "", "x".repeat(65), "태그"])(
    "%j is not a plain token: unknown, nothing requested",
    async (id) => {
      const ws = await workspace();
      const r = await gitpleGet(ws.conn, ["exports", "sessionTags", id], soon());
      expect(r).toEqual({ ok: false, error: { reason: "unknown" } });
      expect((await ws.calls()).total).toBe(0);
    },
  );

  it("an app code that cannot be a header is never sent", async () => {
    const ws = await workspace();
    const r = await gitpleGet({ ...ws.conn, appCode: "a\r\nx: y" }, ["exports", "sessionTags", tag], soon());
    expect(r.ok ? "ok" : r.error.reason).toBe("bad_request");
  });
});
