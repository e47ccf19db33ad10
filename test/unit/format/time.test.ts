import { describe, expect, it } from "vitest";
import { formatTime, isTimeZone } from "../../../src/format/time.ts";

describe("formatTime", () => {
  it.each([
    ["2019-04-29T09:05:56.001Z", "Asia/Seoul", "2019-04-29 18:05 KST"],
    ["2019-04-29T15:30:00.000Z", "Asia/Seoul", "2019-04-30 00:30 KST"],
    ["2019-04-29T09:05:56.001Z", "UTC", "2019-04-29 09:05 UTC"],
    ["2019-04-29T09:05:56.001Z", "Asia/Tokyo", "2019-04-29 18:05 JST"],
    ["2019-01-15T12:00:00.000Z", "America/New_York", "2019-01-15 07:00 EST"],
    ["2019-04-29T23:59:00.000Z", "Asia/Kolkata", "2019-04-30 05:29 GMT+5:30"],
  ])("%s in %s → %s", (iso, zone, expected) => {
    expect(formatTime(iso, zone)).toBe(expected);
  });

  it("24-hour at midnight and noon", () => {
    expect(formatTime("2019-04-29T15:00:00.000Z", "Asia/Seoul")).toBe("2019-04-30 00:00 KST");
    expect(formatTime("2019-04-29T03:00:00.000Z", "Asia/Seoul")).toBe("2019-04-29 12:00 KST");
  });

  it("defaults to UTC; an unknown zone falls back to UTC; a non-time is shown as given", () => {
    expect(formatTime("2019-04-29T09:05:56.001Z")).toBe("2019-04-29 09:05 UTC");
    expect(formatTime("2019-04-29T09:05:56.001Z", "Mars/Olympus")).toBe("2019-04-29 09:05 UTC");
    expect(formatTime("not a time", "Asia/Seoul")).toBe("not a time");
  });
});

describe("isTimeZone", () => {
  it.each([
    ["Asia/Seoul", true],
    ["UTC", true],
    ["America/Argentina/Buenos_Aires", true],
    ["Mars/Olympus", false],
    ["", false],
    ["Asia/Seoul\n", false],
  ])("%j → %s", (name, expected) => {
    expect(isTimeZone(name)).toBe(expected);
  });
});
