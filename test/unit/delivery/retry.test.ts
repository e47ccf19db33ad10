import { describe, expect, it } from "vitest";
import { backoffSeconds, decideRetry } from "../../../src/delivery/retry.ts";

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
