import { describe, expect, it } from "vitest";
import { backoffSeconds, decideRetry } from "../../../src/delivery/retry.ts";
import { classifyResponse } from "../../../src/destinations/http.ts";

const policy = { max_attempts: 5, backoff_seconds: 30, max_backoff_seconds: 3600, timeout_seconds: 10 };
const fail = (retryable: boolean, status?: number, retryAfterSeconds?: number) => ({
  ok: false as const,
  retryable,
  reason: status ? `HTTP ${status}` : "network error",
  status,
  retryAfterSeconds,
});

describe("decideRetry", () => {
  it.each([
    // [what, outcome, attempt, expected]
    ["503 on attempt 1 backs off 30 s", fail(true, 503), 1, { action: "retry", delaySeconds: 30 }],
    ["500 on attempt 2 doubles", fail(true, 500), 2, { action: "retry", delaySeconds: 60 }],
    ["network error on attempt 4", fail(true), 4, { action: "retry", delaySeconds: 240 }],
    ["429 with a longer Retry-After waits that long", fail(true, 429, 120), 1, { action: "retry", delaySeconds: 120 }],
    ["429 with a shorter Retry-After keeps the backoff", fail(true, 429, 5), 2, { action: "retry", delaySeconds: 60 }],
    [
      "429 Retry-After is capped at the queue's limit",
      fail(true, 429, 99999),
      1,
      { action: "retry", delaySeconds: 43200 },
    ],
    ["404 dead-letters at once", fail(false, 404), 1, { action: "dead", reason: "HTTP 404" }],
    ["400 dead-letters at once", fail(false, 400), 1, { action: "dead", reason: "HTTP 400" }],
    [
      "the last attempt gives up",
      fail(true, 503),
      5,
      { action: "dead", reason: "gave up after 5 attempts; last: HTTP 503" },
    ],
  ])("%s", (_what, outcome, attempt, expected) => {
    expect(decideRetry(outcome, attempt, policy)).toEqual(expected);
  });
});

describe("backoffSeconds", () => {
  it.each([
    [1, 30],
    [2, 60],
    [3, 120],
    [7, 1920],
    [8, 3600],
    [30, 3600],
  ])("attempt %i waits %i s", (attempt, seconds) => {
    expect(backoffSeconds(attempt, policy)).toBe(seconds);
  });

  it("never exceeds the queue's 43200 s limit, and allows zero", () => {
    expect(backoffSeconds(40, { ...policy, max_backoff_seconds: 1e9 })).toBe(43200);
    expect(backoffSeconds(3, { ...policy, backoff_seconds: 0 })).toBe(0);
  });
});

// The whole decision as the issue asks for it: a receiver's HTTP status in, retry or not and
// the delay out, through the same two functions the consumer uses (classifyResponse, then decideRetry).
describe("status → retry decision (classifyResponse, then decideRetry)", () => {
  const decide = (status: number, headers: Record<string, string> = {}, body = "", attempt = 1) => {
    const outcome = classifyResponse(status, new Headers(headers), body);
    return outcome.ok ? { action: "delivered" } : decideRetry(outcome, attempt, policy);
  };

  it.each<[string, number, Record<string, string>, string, number, unknown]>([
    ["200 delivers", 200, {}, "ok", 1, { action: "delivered" }],
    ["204 delivers", 204, {}, "", 1, { action: "delivered" }],
    ["408 retries with backoff", 408, {}, "", 1, { action: "retry", delaySeconds: 30 }],
    [
      "429 waits for Retry-After",
      429,
      { "retry-after": "120" },
      "rate_limited",
      1,
      { action: "retry", delaySeconds: 120 },
    ],
    ["429 without Retry-After backs off", 429, {}, "rate_limited", 2, { action: "retry", delaySeconds: 60 }],
    [
      "429 with Discord's retry_after in the body",
      429,
      {},
      '{"retry_after": 7.5}',
      1,
      { action: "retry", delaySeconds: 30 },
    ],
    ["500 retries", 500, {}, "", 3, { action: "retry", delaySeconds: 120 }],
    ["503 with Retry-After", 503, { "retry-after": "600" }, "", 1, { action: "retry", delaySeconds: 600 }],
    [
      "503 on the last attempt gives up",
      503,
      {},
      "no_service",
      5,
      { action: "dead", reason: "gave up after 5 attempts; last: HTTP 503: no_service" },
    ],
    [
      "400 (Slack invalid_payload) dead-letters at once",
      400,
      {},
      "invalid_payload",
      1,
      { action: "dead", reason: "HTTP 400: invalid_payload" },
    ],
    ["401 dead-letters at once", 401, {}, "", 1, { action: "dead", reason: "HTTP 401" }],
    [
      "403 dead-letters at once",
      403,
      {},
      "action_prohibited",
      1,
      { action: "dead", reason: "HTTP 403: action_prohibited" },
    ],
    [
      "404 (channel_not_found) dead-letters at once",
      404,
      {},
      "channel_not_found",
      1,
      { action: "dead", reason: "HTTP 404: channel_not_found" },
    ],
    [
      "410 (channel_is_archived) dead-letters at once",
      410,
      {},
      "channel_is_archived",
      1,
      { action: "dead", reason: "HTTP 410: channel_is_archived" },
    ],
    ["422 dead-letters at once", 422, {}, "", 1, { action: "dead", reason: "HTTP 422" }],
    [
      "a redirect dead-letters (a moved webhook is a config problem)",
      301,
      {},
      "",
      1,
      { action: "dead", reason: "HTTP 301" },
    ],
  ])("%s", (_what, status, headers, body, attempt, expected) => {
    expect(decide(status, headers, body, attempt)).toEqual(expected);
  });
});
