// [[vars.ROUTING.digests]] validation (issue 14): every problem with its path, and which sessions count.
import { describe, expect, it } from "vitest";
import { viewEvent } from "../../../src/event/view.ts";
import { digestsOf } from "../../../src/routing/digests.ts";
import { validateRouting } from "../../../src/routing/load.ts";

const secrets = (name: string) => (name === "OPS_URL" ? "https://hooks.slack.com/ops" : undefined);
const digest = (extra: Record<string, unknown> = {}) => ({
  name: "daily",
  at: "09:00",
  destinations: ["ops"],
  ...extra,
});
const config = (digests: unknown[]) => ({
  fallback: ["ops"],
  destinations: { ops: { type: "slack", webhook_url_secret: "OPS_URL" } },
  digests,
});
const problems = (input: unknown) => {
  const r = validateRouting(input, secrets);
  return r.ok ? [] : r.error;
};

describe("digest validation", () => {
  it("accepts the issue's example and defaults covers to 24h, every day", () => {
    const r = validateRouting(
      config([digest({ days: ["mon", "tue", "wed", "thu", "fri"] }), digest({ name: "all" })]),
      secrets,
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.digests[0]).toEqual({
      name: "daily",
      at: "09:00",
      days: ["mon", "tue", "wed", "thu", "fri"],
      covers: "24h",
      destinations: ["ops"],
    });
    expect(r.value.digests[1]?.days).toBeUndefined();
  });

  it.each<[string, unknown, string[]]>([
    [
      "unknown destination",
      config([digest({ destinations: ["ops", "lead-email"] })]),
      ['digests[0].destinations[1]: unknown destination "lead-email"'],
    ],
    [
      "duplicate names",
      config([digest(), digest({ at: "18:00" })]),
      ['digests[1].name: duplicate digest name "daily" (also digests[0])'],
    ],
    ["bad at", config([digest({ at: "9:00" })]), ['digests[0].at: must be a time "HH:MM", 00:00 to 23:59']],
    ["at past midnight", config([digest({ at: "24:00" })]), ['digests[0].at: must be a time "HH:MM", 00:00 to 23:59']],
    [
      "covers not whole hours",
      config([digest({ covers: "90m" })]),
      ['digests[0].covers: must be whole hours from 1h to 7d (e.g. "24h", "7d")'],
    ],
    [
      "covers too long",
      config([digest({ covers: "8d" })]),
      ['digests[0].covers: must be whole hours from 1h to 7d (e.g. "24h", "7d")'],
    ],
    [
      "covers not a duration",
      config([digest({ covers: "a day" })]),
      ['digests[0].covers: must be whole hours from 1h to 7d (e.g. "24h", "7d")'],
    ],
    [
      "bad day",
      config([digest({ days: ["monday"] })]),
      ['digests[0].days[0]: unknown day "monday" (expected one of: sun, mon, tue, wed, thu, fri, sat)'],
    ],
    ["empty days", config([digest({ days: [] })]), ["digests[0].days: must not be empty"]],
    ["missing at", config([{ name: "x", destinations: ["ops"] }]), ["digests[0].at: is required"]],
    ["unknown key", config([digest({ every: "day" })]), ['digests[0]: unknown key "every"']],
    ["empty condition", config([digest({ tags: {} })]), ["digests[0].tags: must have at least one of any, all, none"]],
  ])("%s", (_name, input, expected) => {
    expect(problems(input)).toEqual(expected);
  });
});

describe("digestsOf", () => {
  const r = validateRouting(
    config([
      digest({ name: "vip", tags: { any: ["VIP"] } }),
      digest({ name: "all" }),
      digest({ name: "app", app_codes: ["other"] }),
    ]),
    secrets,
  );
  const c = r.ok ? r.value : (undefined as never);
  const session = (tags: string[]) =>
    viewEvent({ type: "session_state_close", triggerId: "t", appCode: "shop", session: { id: "s1", tags } });

  it.each<[string, ReturnType<typeof viewEvent>, string[]]>([
    ["a session with the tag", session(["VIP"]), ["vip", "all"]],
    ["a session without it", session(["other"]), ["all"]],
    [
      "a message event (no session)",
      viewEvent({ type: "send_external_message", triggerId: "t", to: { tags: ["VIP"] } }),
      [],
    ],
  ])("%s", (_name, event, expected) => {
    expect(digestsOf(c, event)).toEqual(expected);
  });
});
