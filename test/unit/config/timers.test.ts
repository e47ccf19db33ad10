// [[vars.ROUTING.timers]] and `timezone` validation (issue 14): every problem with its path.
import { describe, expect, it } from "vitest";
import { viewEvent } from "../../../src/event/view.ts";
import { validateRouting } from "../../../src/routing/load.ts";
import { timersOf } from "../../../src/routing/timers.ts";
import { TAG } from "../../support/ids.ts";

const secrets = (name: string) => (name === "OPS_URL" ? "https://hooks.slack.com/ops" : undefined);
const timer = (extra: Record<string, unknown> = {}) => ({
  name: "unassigned-5m",
  start: "session_state_open",
  stop: ["session_state_inprogress", "session_state_close"],
  after: "5m",
  destinations: ["ops"],
  ...extra,
});
const config = (timers: unknown[], extra: Record<string, unknown> = {}) => ({
  fallback: ["ops"],
  destinations: { ops: { type: "slack", webhook_url_secret: "OPS_URL" } },
  timers,
  ...extra,
});
const problems = (input: unknown) => {
  const r = validateRouting(input, secrets);
  return r.ok ? [] : r.error;
};

describe("timer validation", () => {
  it("accepts the issue's example and applies defaults", () => {
    const r = validateRouting(
      config([timer({ tags: { any: ["VIP"] }, repeat: "10m" })], { timezone: "Asia/Seoul" }),
      secrets,
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.timezone).toBe("Asia/Seoul");
    expect(r.value.timers[0]).toMatchObject({ name: "unassigned-5m", after: "5m", repeat: "10m", urgent: false });
    const plain = validateRouting(config([]), secrets);
    // Absent means UTC: times in messages then read as before, quiet hours are in UTC.
    expect(plain.ok && plain.value.timezone).toBeUndefined();
  });

  it.each<[string, unknown, string[]]>([
    [
      "unknown start event",
      config([timer({ start: "session_opened" })]),
      [
        'timers[0].start: unknown event name "session_opened" (expected one of: session_state_open, session_state_inprogress, session_state_close)',
      ],
    ],
    [
      "unknown stop event",
      config([timer({ stop: ["session_state_snooze"] })]),
      [
        'timers[0].stop[0]: unknown event name "session_state_snooze" (expected one of: session_state_open, session_state_inprogress, session_state_close)',
      ],
    ],
    [
      "after too short",
      config([timer({ after: "5s" })]),
      ['timers[0].after: must be a duration from 10s to 7d: a whole number and s, m, h or d (e.g. "90s", "5m", "2h")'],
    ],
    [
      "after too long",
      config([timer({ after: "8d" })]),
      ['timers[0].after: must be a duration from 10s to 7d: a whole number and s, m, h or d (e.g. "90s", "5m", "2h")'],
    ],
    [
      "after not a duration",
      config([timer({ after: "5 minutes" })]),
      ['timers[0].after: must be a duration from 10s to 7d: a whole number and s, m, h or d (e.g. "90s", "5m", "2h")'],
    ],
    [
      "repeat out of range",
      config([timer({ repeat: "1s" })]),
      ['timers[0].repeat: must be a duration from 10s to 7d: a whole number and s, m, h or d (e.g. "90s", "5m", "2h")'],
    ],
    [
      "unknown destination",
      config([timer({ destinations: ["nope"] })]),
      ['timers[0].destinations[0]: unknown destination "nope"'],
    ],
    [
      "a start that is also a stop (the timer could never arm)",
      config([timer({ stop: ["session_state_close", "session_state_open"] })]),
      ['timers[0].stop[1]: "session_state_open" is the timer\'s start'],
    ],
    [
      "duplicate names",
      config([timer(), timer()]),
      ['timers[1].name: duplicate timer name "unassigned-5m" (also timers[0])'],
    ],
    ["unknown key", config([timer({ after_s: 5 })]), ['timers[0]: unknown key "after_s"']],
    [
      "missing after",
      config([{ name: "x", start: "session_state_open", destinations: ["ops"] }]),
      ["timers[0].after: is required"],
    ],
    [
      "bad timezone",
      config([], { timezone: "KST" }),
      ['timezone: unknown time zone "KST" (use an IANA name such as "Asia/Seoul" or "UTC")'],
    ],
  ])("%s", (_name, input, expected) => {
    expect(problems(input)).toEqual(expected);
  });
});

describe("timersOf", () => {
  // Events carry tag ids; a timer without [vars.ROUTING.gitple] names them as they come.
  const r = validateRouting(
    config([timer({ tags: { any: [TAG.vip] }, repeat: "10m" }), timer({ name: "other", app_codes: ["B"] })]),
    secrets,
  );
  if (!r.ok) throw new Error(r.error.join("\n"));
  const event = (type: string, tags: string[], appCode = "A") =>
    viewEvent({ type, triggerId: "t", appCode, session: { id: "s1", tags } });

  it("starts the timers whose conditions hold, with what a fire needs", () => {
    expect(timersOf(r.value, event("session_state_open", [TAG.vip]))).toEqual({
      start: [
        {
          name: "unassigned-5m",
          after: "5m",
          afterMs: 300_000,
          repeatMs: 600_000,
          firings: 7,
          destinations: ["ops"],
          urgent: false,
        },
      ],
      stop: [],
    });
    expect(timersOf(r.value, event("session_state_open", [TAG.delay])).start).toEqual([]);
  });

  it("stops whatever the tags, within the timer's app codes", () => {
    expect(timersOf(r.value, event("session_state_close", []))).toEqual({ start: [], stop: ["unassigned-5m"] });
    expect(timersOf(r.value, event("session_state_close", [], "B")).stop).toEqual(["unassigned-5m", "other"]);
  });

  it("ignores events no timer names and events without a session id", () => {
    expect(timersOf(r.value, event("send_external_message", [TAG.vip]))).toEqual({ start: [], stop: [] });
    expect(
      timersOf(r.value, viewEvent({ type: "session_state_open", triggerId: "t", session: { tags: [TAG.vip] } })),
    ).toEqual({ start: [], stop: [] });
  });
});

describe("quiet hours validation", () => {
  const withOps = (extra: Record<string, unknown>) =>
    config([], { destinations: { ops: { type: "slack", webhook_url_secret: "OPS_URL", ...extra } } });

  it("accepts the issue's example and a rule's urgent", () => {
    const input = {
      ...withOps({ quiet_hours: [{ days: ["sat", "sun"] }, { from: "22:00", to: "08:00" }], during_quiet: "digest" }),
      rules: [{ name: "r", destinations: ["ops"], urgent: true }],
    };
    const r = validateRouting(input, secrets);
    expect(r.ok && r.value.destinations.ops).toMatchObject({ during_quiet: "digest" });
    expect(r.ok && r.value.rules[0]?.urgent).toBe(true);
  });

  it.each<[string, Record<string, unknown>, string[]]>([
    [
      "not HH:MM",
      { quiet_hours: [{ from: "22", to: "08:00" }] },
      ['destinations.ops.quiet_hours[0].from: must be a time "HH:MM", 00:00 to 23:59'],
    ],
    [
      "24:00",
      { quiet_hours: [{ from: "22:00", to: "24:00" }] },
      ['destinations.ops.quiet_hours[0].to: must be a time "HH:MM", 00:00 to 23:59'],
    ],
    [
      "from without to",
      { quiet_hours: [{ from: "22:00" }] },
      ["destinations.ops.quiet_hours[0]: from and to go together"],
    ],
    [
      "from equal to to",
      { quiet_hours: [{ from: "22:00", to: "22:00" }] },
      ["destinations.ops.quiet_hours[0]: from and to must differ"],
    ],
    [
      "unknown day",
      { quiet_hours: [{ days: ["saturday"] }] },
      [
        'destinations.ops.quiet_hours[0].days[0]: unknown day "saturday" (expected one of: sun, mon, tue, wed, thu, fri, sat)',
      ],
    ],
    ["an empty window", { quiet_hours: [{}] }, ["destinations.ops.quiet_hours[0]: must have days, or from and to"]],
    [
      "during_quiet without quiet_hours",
      { during_quiet: "defer" },
      ["destinations.ops.during_quiet: needs quiet_hours"],
    ],
    [
      "unknown during_quiet",
      { quiet_hours: [{ days: ["sun"] }], during_quiet: "drop" },
      ['destinations.ops.during_quiet: must be "defer" or "digest"'],
    ],
  ])("%s", (_name, extra, expected) => {
    expect(problems(withOps(extra))).toEqual(expected);
  });
});
