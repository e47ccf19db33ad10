import { describe, expect, it } from "vitest";
import type { DestinationConfig } from "../../../src/destinations/registry.ts";
import { attemptBudgetMs, sequentialSends } from "../../../src/destinations/registry.ts";

const policy = { max_attempts: 5, backoff_seconds: 30, max_backoff_seconds: 3600, timeout_seconds: 10 };

function email(provider: "cloudflare" | "resend", recipients: number): DestinationConfig {
  return {
    type: "email",
    provider,
    from: "relay@example.com",
    to: Array.from({ length: recipients }, (_, i) => `r${i}@example.com`),
    binding: "EMAIL",
    include_contact: false,
    ...(provider === "resend" ? { api_key_secret: "RESEND_API_KEY" } : {}),
  };
}

const slack: DestinationConfig = { type: "slack", webhook_url_secret: "SLACK_URL" } as DestinationConfig;
const webhook: DestinationConfig = { type: "webhook", url_secret: "HOOK_URL" } as DestinationConfig;

describe("attemptBudgetMs", () => {
  it.each([
    // [what, destination, timeout_seconds, sends, budget ms]
    ["Slack: one post", slack, 10, 1, 40_000],
    ["a webhook: one post", webhook, 2, 1, 32_000],
    ["email through the binding, one recipient", email("cloudflare", 1), 10, 1, 40_000],
    ["email through the binding, two recipients: one send each", email("cloudflare", 2), 10, 2, 50_000],
    ["email through the binding, 50 recipients", email("cloudflare", 50), 60, 50, 3_030_000],
    ["email through Resend, 50 recipients: one request", email("resend", 50), 10, 1, 40_000],
    ["a fractional timeout", email("cloudflare", 3), 0.5, 3, 31_500],
    ["a destination no longer in the config: sends nothing", undefined, 10, 1, 40_000],
  ])("%s", (_what, destination, timeout_seconds, sends, budget) => {
    expect(sequentialSends(destination)).toBe(sends);
    expect(attemptBudgetMs(destination, { ...policy, timeout_seconds })).toBe(budget);
  });
});
