import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { SendContext } from "../../../src/destinations/contract.ts";
import { classifyResponse, parseRetryAfter, postJson } from "../../../src/destinations/http.ts";
import { sendTo } from "../../../src/destinations/registry.ts";
import type { SlackDestinationConfig } from "../../../src/destinations/slack/config.ts";
import { formatSlack } from "../../../src/destinations/slack/format.ts";
import { slackKind } from "../../../src/destinations/slack/index.ts";
import { viewEvent } from "../../../src/event/view.ts";
import type { RoutingConfig } from "../../../src/routing/types.ts";

const sendSlack = slackKind.deliver;

const base = (env as unknown as Record<string, string>).TEST_RECEIVER;

interface Scripted {
  status?: number;
  headers?: Record<string, string>;
  body?: string;
  delayMs?: number;
  hang?: boolean;
  reset?: boolean;
}

/** A unique marker, with the fake receiver told how to answer requests that carry it. */
async function scripted(...responses: Scripted[]): Promise<string> {
  const marker = `http-${crypto.randomUUID()}`;
  const r = await fetch(`${base}/__script`, { method: "POST", body: JSON.stringify({ match: marker, responses }) });
  expect(r.status).toBe(204);
  return marker;
}

async function received(marker: string): Promise<{ path: string; headers: Record<string, string>; body: string }[]> {
  return (await fetch(`${base}/__received?match=${marker}`)).json();
}

describe("classifyResponse: the shared retry table", () => {
  it.each([
    [200, true, false],
    [201, true, false],
    [204, true, false],
    [299, true, false],
    [301, false, false],
    [302, false, false],
    [304, false, false],
    [307, false, false],
    [308, false, false],
    [400, false, false],
    [401, false, false],
    [403, false, false],
    [404, false, false],
    [405, false, false],
    [409, false, false],
    [410, false, false],
    [413, false, false],
    [422, false, false],
    [451, false, false],
    [408, false, true],
    [429, false, true],
    [500, false, true],
    [501, false, true],
    [502, false, true],
    [503, false, true],
    [504, false, true],
    [599, false, true],
  ])("HTTP %i → ok %s, retryable %s", (status, ok, retryable) => {
    const outcome = classifyResponse(status, new Headers(), "");
    expect(outcome.ok).toBe(ok);
    if (outcome.ok) expect(outcome).toEqual({ ok: true, status });
    else expect(outcome).toEqual({ ok: false, retryable, status, reason: `HTTP ${status}` });
  });

  it.each([
    [429, "30", 30],
    [503, "120", 120],
    [429, "99999", 43200],
    [429, "soon", undefined],
    [500, "30", undefined],
    [408, "30", undefined],
  ])("HTTP %i with Retry-After %j → retryAfterSeconds %j", (status, header, expected) => {
    const base = { ok: false, retryable: true, status, reason: `HTTP ${status}` };
    expect(classifyResponse(status, new Headers({ "retry-after": header }), "")).toStrictEqual(
      expected === undefined ? base : { ...base, retryAfterSeconds: expected },
    );
  });

  it("quotes the first 200 characters of the answer, whitespace collapsed", () => {
    expect(classifyResponse(404, new Headers(), "  channel_not_found\r\n\t more\u0000 ")).toMatchObject({
      reason: "HTTP 404: channel_not_found more",
    });
    const long = classifyResponse(400, new Headers(), `invalid_payload ${"x".repeat(5000)}`);
    expect(!long.ok && long.reason).toBe(`HTTP 400: invalid_payload ${"x".repeat(184)}`);
    // 199 units then an emoji: the pair is dropped whole, never split.
    const emoji = classifyResponse(500, new Headers(), `${"a".repeat(199)}😀tail`);
    expect(!emoji.ok && emoji.reason).toBe(`HTTP 500: ${"a".repeat(199)}`);
  });
});

describe("parseRetryAfter", () => {
  const now = Date.parse("2015-10-21T07:27:00Z");
  it.each([
    ["120", 120],
    [" 30 ", 30],
    ["0", 0],
    ["43200", 43200],
    ["43201", 43200],
    ["9".repeat(400), 43200],
    ["Wed, 21 Oct 2015 07:28:00 GMT", 60],
    ["wed, 21 oct 2015 07:28:00 gmt", 60],
    ["Wednesday, 21-Oct-15 07:28:00 GMT", 60],
    ["Wed Oct 21 07:28:00 2015", 60],
    ["Wed Oct  1 07:28:00 2015", 0],
    ["Wed, 21 Oct 2015 07:26:00 GMT", 0],
    ["Thu, 21 Oct 2016 07:27:00 GMT", 43200],
    ["-1", undefined],
    ["1.5", undefined],
    ["1e3", undefined],
    ["0x10", undefined],
    ["", undefined],
    ["soon", undefined],
    ["Wed, 31 Feb 2015 07:28:00 GMT", undefined],
    ["Wed, 21 Oct 2015 25:00:00 GMT", undefined],
    ["Wed, 21 Foo 2015 07:28:00 GMT", undefined],
    ["Wed, 21 Oct 2015 07:28:00 PST", undefined],
    ["2015-10-21T07:28:00Z", undefined],
    [null, undefined],
  ])("%j → %j", (value, expected) => {
    expect(parseRetryAfter(value, now)).toBe(expected);
  });

  it("rounds a date's sub-second remainder up", () => {
    expect(parseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT", now + 500)).toBe(60);
  });
});

describe("postJson against the fake receiver", () => {
  it("POSTs JSON and reports a 2xx as delivered", async () => {
    const marker = await scripted({ status: 200, body: "ok" });
    const body = JSON.stringify({ text: marker });
    const outcome = await postJson(`${base}/hook/http`, body, {
      timeoutMs: 5000,
      headers: { "Content-Type": "text/plain", "x-extra": "1" },
    });
    expect(outcome).toEqual({ ok: true, status: 200 });
    const [req, ...more] = await received(marker);
    expect(more).toEqual([]);
    expect(req).toMatchObject({ path: "/hook/http", body });
    expect(req?.headers["content-type"]).toBe("application/json");
    expect(req?.headers["x-extra"]).toBe("1");
  });

  it("quotes Slack's error code and does not retry a 404", async () => {
    const marker = await scripted({ status: 404, body: "channel_not_found" });
    expect(await postJson(`${base}/hook/http`, `{"m":"${marker}"}`, { timeoutMs: 5000 })).toEqual({
      ok: false,
      retryable: false,
      status: 404,
      reason: "HTTP 404: channel_not_found",
    });
  });

  it("retries a 429 after its Retry-After", async () => {
    const marker = await scripted({ status: 429, headers: { "retry-after": "17" }, body: "rate_limited" });
    expect(await postJson(`${base}/hook/http`, `{"m":"${marker}"}`, { timeoutMs: 5000 })).toEqual({
      ok: false,
      retryable: true,
      status: 429,
      reason: "HTTP 429: rate_limited",
      retryAfterSeconds: 17,
    });
  });

  it("reads a huge answer only in part", async () => {
    const marker = await scripted({ status: 500, body: `no_service ${"y".repeat(200_000)}` });
    const outcome = await postJson(`${base}/hook/http`, `{"m":"${marker}"}`, { timeoutMs: 5000 });
    expect(outcome).toEqual({
      ok: false,
      retryable: true,
      status: 500,
      reason: `HTTP 500: no_service ${"y".repeat(189)}`,
    });
  });

  it("never quotes its own URL back: a framework's error page echoes the path, the secret part of a webhook", async () => {
    const url = `${base}/hook/http/T0/B0/s3cr3t?token=t0k3n`;
    const marker = await scripted({ status: 404, body: `Cannot POST /hook/http/T0/B0/s3cr3t?token=t0k3n (${url})` });
    const outcome = await postJson(url, `{"m":"${marker}"}`, { timeoutMs: 5000 });
    expect(outcome).toEqual({
      ok: false,
      retryable: false,
      status: 404,
      reason: "HTTP 404: Cannot POST [webhook URL] ([webhook URL])",
    });
  });

  it("never quotes our request back: header secrets, the signature and the URL, raw, JSON-escaped or URL-encoded", async () => {
    const url = `${base}/hook/http/T9/B9/s3cr3t`;
    const headers = { authorization: "Bearer tok_abcdef123456", "x-hub-signature": `sha256=${"ab".repeat(32)}` };
    const echo = JSON.stringify({ got: headers.authorization, sig: headers["x-hub-signature"], url });
    const body = `${echo} ${encodeURIComponent(url)} tok_abcdef123456`;
    const marker = await scripted({ status: 400, body });
    const outcome = await postJson(url, `{"m":"${marker}"}`, { timeoutMs: 5000, headers });
    expect(outcome.ok).toBe(false);
    const reason = outcome.ok ? "" : outcome.reason;
    for (const secret of ["tok_abcdef123456", "ab".repeat(32), "s3cr3t", "T9/B9", "T9%2FB9"]) {
      expect(reason).not.toContain(secret);
    }
    expect(reason).toBe(
      'HTTP 400: {"got":"[redacted]","sig":"[redacted]","url":"[webhook URL]"} [webhook URL] [redacted]',
    );
  });

  it("does not follow a redirect", async () => {
    const marker = await scripted({ status: 307, headers: { location: `${base}/hook/moved` }, body: "" });
    expect(await postJson(`${base}/hook/http`, `{"m":"${marker}"}`, { timeoutMs: 5000 })).toEqual({
      ok: false,
      retryable: false,
      status: 307,
      reason: "HTTP 307",
    });
    await new Promise((r) => setTimeout(r, 200));
    expect(await received(marker)).toEqual([]);
  });

  it("times out a receiver that never answers", async () => {
    const marker = await scripted({ hang: true });
    const started = Date.now();
    expect(await postJson(`${base}/hook/http`, `{"m":"${marker}"}`, { timeoutMs: 300 })).toEqual({
      ok: false,
      retryable: true,
      reason: "timed out after 0.3s",
    });
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it("times out a slow receiver", async () => {
    const marker = await scripted({ delayMs: 3000 });
    expect(await postJson(`${base}/hook/http`, `{"m":"${marker}"}`, { timeoutMs: 1000 })).toEqual({
      ok: false,
      retryable: true,
      reason: "timed out after 1s",
    });
  });

  it("reports a reset connection as a retryable network error", async () => {
    const marker = await scripted({ reset: true }, { reset: true }, { reset: true });
    expect(await postJson(`${base}/hook/http`, `{"m":"${marker}"}`, { timeoutMs: 5000 })).toEqual({
      ok: false,
      retryable: true,
      reason: "network error",
    });
  });

  it("reports a refused connection as a network error, without the URL", async () => {
    const outcome = await postJson("http://127.0.0.1:1/services/T000/B000/secret-token", "{}", { timeoutMs: 5000 });
    expect(outcome).toEqual({ ok: false, retryable: true, reason: "network error" });
  });

  it.each(["not a url", "ftp://example.com/hook", "javascript:alert(1)", ""])(
    "refuses %j for good, without quoting it",
    async (url) => {
      expect(await postJson(url, "{}", { timeoutMs: 5000 })).toEqual({
        ok: false,
        retryable: false,
        reason: "invalid URL (expected http or https)",
      });
    },
  );
});

describe("sendSlack and sendTo, through the fake receiver", () => {
  const slack: SlackDestinationConfig = { type: "slack", webhook_url_secret: "SLACK_TEST_URL", include_contact: false };

  function context(triggerId: string, secrets: Record<string, string>): SendContext {
    const event = viewEvent({ type: "session_state_close", triggerId, session: { id: "s1", reason: "userCancel" } });
    return {
      event,
      raw: JSON.stringify(event),
      destination: "test-slack",
      rules: [],
      config: { rules: [], destinations: {} } as unknown as RoutingConfig,
      secret: (name) => secrets[name] || undefined,
      env: env as Env,
      timeoutMs: 5000,
    };
  }

  it("posts the formatted message to the URL in the named secret", async () => {
    const triggerId = `send-${crypto.randomUUID()}`;
    const ctx = context(triggerId, { SLACK_TEST_URL: `${base}/hook/send` });
    expect(await sendSlack(slack, ctx)).toEqual({ ok: true, status: 200 });
    const [req, ...more] = await received(triggerId);
    expect(more).toEqual([]);
    expect(req?.path).toBe("/hook/send");
    expect(JSON.parse(req?.body ?? "")).toEqual(formatSlack(ctx.event, slack));
  });

  it("sendTo dispatches a slack destination to sendSlack", async () => {
    const triggerId = `registry-${crypto.randomUUID()}`;
    const marker = await scripted({ status: 410, body: "channel_is_archived" });
    const ctx = context(`${triggerId} ${marker}`, { SLACK_TEST_URL: `${base}/hook/registry` });
    expect(await sendTo(slack, ctx)).toEqual({
      ok: false,
      retryable: false,
      status: 410,
      reason: "HTTP 410: channel_is_archived",
    });
  });

  it.each<Record<string, string>>([{}, { SLACK_TEST_URL: "" }])(
    "fails for good, naming the secret, when it is not set (%j)",
    async (secrets) => {
      expect(await sendSlack(slack, context("t-missing", secrets))).toEqual({
        ok: false,
        retryable: false,
        reason: 'webhook URL secret "SLACK_TEST_URL" is not set',
      });
    },
  );
});
