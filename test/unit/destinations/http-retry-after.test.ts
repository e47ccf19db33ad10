// The retry table for every destination kind, and Discord's JSON `retry_after`
// (a 429 body in seconds, possibly fractional), honoured when no usable
// Retry-After header came with the answer.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { classifyResponse, postJson } from "../../../src/destinations/http.ts";

const base = (env as unknown as Record<string, string>).TEST_RECEIVER;

const discord429 = (retryAfter: unknown) =>
  JSON.stringify({ message: "You are being rate limited.", retry_after: retryAfter, global: false });

describe("classifyResponse: Discord's retry_after", () => {
  it.each<[string, number, Record<string, string>, string, number | undefined]>([
    ["whole seconds", 429, {}, discord429(5), 5],
    ["fractional seconds, rounded up", 429, {}, discord429(0.123), 1],
    ["fractional above one", 429, {}, discord429(64.57), 65],
    ["zero", 429, {}, discord429(0), 0],
    ["beyond the queue's 12 hours, clamped", 429, {}, discord429(1e9), 43200],
    ["on a 503 too", 503, {}, discord429(2), 2],
    ["the header wins over the body", 429, { "retry-after": "7" }, discord429(60), 7],
    ["an unusable header falls back to the body", 429, { "retry-after": "soon" }, discord429(3), 3],
    ["negative: ignored", 429, {}, discord429(-1), undefined],
    ["a string: ignored", 429, {}, discord429("5"), undefined],
    ["null: ignored", 429, {}, discord429(null), undefined],
    ["not JSON", 429, {}, "retry_after=5", undefined],
    ["a JSON list", 429, {}, '[{"retry_after":5}]', undefined],
    ["cut JSON (the 4 KB read limit)", 429, {}, '{"retry_after": 5, "message": "…', undefined],
    ["plain text", 429, {}, "rate_limited", undefined],
  ])("429/503 %s", (_, status, headers, body, expected) => {
    const outcome = classifyResponse(status, new Headers(headers), body);
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.retryable).toBe(true);
    expect(outcome.status).toBe(status);
    expect(outcome.retryAfterSeconds).toBe(expected);
    expect(Object.hasOwn(outcome, "retryAfterSeconds")).toBe(expected !== undefined);
  });

  it.each([400, 404, 408, 500, 502])("is ignored on HTTP %i", (status) => {
    const outcome = classifyResponse(status, new Headers(), discord429(5));
    expect(outcome).not.toHaveProperty("retryAfterSeconds");
  });

  it("quotes Discord's answer in the reason", () => {
    expect(classifyResponse(429, new Headers(), discord429(0.5))).toEqual({
      ok: false,
      retryable: true,
      status: 429,
      reason: `HTTP 429: ${discord429(0.5)}`,
      retryAfterSeconds: 1,
    });
  });
});

describe("postJson: Discord's 429 through the fake receiver", () => {
  it("reads retry_after from a JSON answer without a Retry-After header", async () => {
    const marker = `retry-after-${crypto.randomUUID()}`;
    await fetch(`${base}/__script`, {
      method: "POST",
      body: JSON.stringify({
        match: marker,
        responses: [{ status: 429, headers: { "content-type": "application/json" }, body: discord429(2.5) }],
      }),
    });
    expect(
      await postJson(`${base}/hook/discord-429`, JSON.stringify({ content: marker }), { timeoutMs: 5000 }),
    ).toEqual({
      ok: false,
      retryable: true,
      status: 429,
      reason: `HTTP 429: ${discord429(2.5)}`,
      retryAfterSeconds: 3,
    });
  });
});
