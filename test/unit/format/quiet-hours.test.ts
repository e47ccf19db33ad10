// Quiet hours' window arithmetic (issue 14): pure, at fixed instants.
import { describe, expect, it } from "vitest";
import { localInstant, quietUntil } from "../../../src/format/quiet-hours.ts";

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const NIGHT = [{ from: "22:00", to: "08:00" }];
const WEEKEND_AND_NIGHTS = [{ days: ["sat", "sun"] }, { from: "22:00", to: "08:00" }];

describe("a window across midnight in Asia/Seoul", () => {
  it.each<[string, string, string | null]>([
    ["21:59 KST is not quiet", "2026-12-01T12:59:00Z", null],
    ["22:00 KST is quiet until 08:00 KST", "2026-12-01T13:00:00Z", "2026-12-01T23:00:00.000Z"],
    ["23:30 KST", "2026-12-01T14:30:00Z", "2026-12-01T23:00:00.000Z"],
    ["03:00 KST (after midnight)", "2026-12-01T18:00:00Z", "2026-12-01T23:00:00.000Z"],
    ["07:59 KST", "2026-12-01T22:59:00Z", "2026-12-01T23:00:00.000Z"],
    ["08:00 KST is not quiet ([from, to))", "2026-12-01T23:00:00Z", null],
  ])("%s", (_name, now, until) => {
    expect(iso(quietUntil(NIGHT, "Asia/Seoul", at(now)))).toBe(until);
  });

  it("a same-day window [from, to)", () => {
    const lunch = [{ from: "12:00", to: "13:00" }];
    expect(iso(quietUntil(lunch, "Asia/Seoul", at("2026-12-01T03:30:00Z")))).toBe("2026-12-01T04:00:00.000Z");
    expect(quietUntil(lunch, "Asia/Seoul", at("2026-12-01T04:00:00Z"))).toBeNull();
  });
});

describe("a weekend in Asia/Seoul merged with the nights", () => {
  // 2026-12-04 is a Friday.
  it.each<[string, string, string | null]>([
    ["Friday 21:00 KST is not quiet", "2026-12-04T12:00:00Z", null],
    ["Friday 22:00 KST is quiet until Monday 08:00 KST (58 h)", "2026-12-04T13:00:00Z", "2026-12-06T23:00:00.000Z"],
    ["Saturday noon KST", "2026-12-05T03:00:00Z", "2026-12-06T23:00:00.000Z"],
    ["Sunday 23:00 KST", "2026-12-06T14:00:00Z", "2026-12-06T23:00:00.000Z"],
    ["Monday 08:00 KST is not quiet", "2026-12-06T23:00:00Z", null],
  ])("%s", (_name, now, until) => {
    expect(iso(quietUntil(WEEKEND_AND_NIGHTS, "Asia/Seoul", at(now)))).toBe(until);
  });

  it("days alone run midnight to midnight, local", () => {
    const weekend = [{ days: ["sat", "sun"] }];
    expect(iso(quietUntil(weekend, "Asia/Seoul", at("2026-12-04T15:00:00Z")))).toBe("2026-12-06T15:00:00.000Z");
    expect(quietUntil(weekend, "Asia/Seoul", at("2026-12-04T14:59:59Z"))).toBeNull();
  });

  it("days with hours: only the nights that start on those days", () => {
    const fridayNight = [{ days: ["fri"], from: "22:00", to: "08:00" }];
    expect(iso(quietUntil(fridayNight, "Asia/Seoul", at("2026-12-04T18:00:00Z")))).toBe("2026-12-04T23:00:00.000Z");
    expect(quietUntil(fridayNight, "Asia/Seoul", at("2026-12-05T18:00:00Z"))).toBeNull(); // Sunday 03:00
  });
});

describe("America/New_York across DST", () => {
  it("the night the clocks go forward (2026-03-08) is 9 hours, not 10", () => {
    const from = at("2026-03-08T03:00:00Z"); // 22:00 EST on 7 March
    expect(iso(quietUntil(NIGHT, "America/New_York", from))).toBe("2026-03-08T12:00:00.000Z"); // 08:00 EDT
  });

  it("the night the clocks go back (2026-11-01) is 11 hours", () => {
    const from = at("2026-11-01T02:00:00Z"); // 22:00 EDT on 31 October
    expect(iso(quietUntil(NIGHT, "America/New_York", from))).toBe("2026-11-01T13:00:00.000Z"); // 08:00 EST
  });

  it("a window ending inside the spring-forward gap ends right after it", () => {
    const early = [{ from: "01:00", to: "02:30" }];
    expect(iso(quietUntil(early, "America/New_York", at("2026-03-08T06:30:00Z")))).toBe("2026-03-08T07:00:00.000Z");
    expect(iso(localInstant(2026, 3, 8, 150, "America/New_York"))).toBe("2026-03-08T07:00:00.000Z");
  });

  it("UTC has no offset", () => {
    expect(iso(quietUntil(NIGHT, "UTC", at("2026-07-01T23:00:00Z")))).toBe("2026-07-02T08:00:00.000Z");
  });
});
