// A digest's aggregates (src/digest-figures/figures.ts): what an event adds, quantiles, bounds.
import { describe, expect, it } from "vitest";
import {
  addNote,
  combine,
  digestNote,
  emptyBucket,
  MAX_KEYS,
  quantile,
  SAMPLE,
} from "../../../src/digest-figures/figures.ts";
import { viewEvent } from "../../../src/event/view.ts";
import { nextLocalTime } from "../../../src/format/quiet-hours.ts";

const close = (open: string, assigned: string | undefined, closed: string, extra: Record<string, unknown> = {}) =>
  viewEvent({
    type: "session_state_close",
    triggerId: "t",
    appCode: "shop",
    session: {
      id: "5cc6c0048e1c2a0013f0a1c3",
      openTime: open,
      inprogressTime: assigned,
      closeTime: closed,
      reason: "agentClose",
      tags: ["5cc7a1b2c3d4e5f6a7b8c9d0"],
      ...extra,
    },
  });

describe("digestNote", () => {
  const now = Date.parse("2026-12-02T00:00:00Z");
  it("takes both durations from the close event", () => {
    expect(digestNote(close("2026-12-01T08:00:00Z", "2026-12-01T08:02:30Z", "2026-12-01T08:12:30Z"), now)).toEqual({
      kind: "close",
      at: Date.parse("2026-12-01T08:12:30Z"),
      appCode: "shop",
      session: "5cc6c0048e1c2a0013f0a1c3",
      reason: "agentClose",
      tags: ["5cc7a1b2c3d4e5f6a7b8c9d0"],
      categories: [],
      assign: 150,
      handle: 600,
    });
  });
  it("has no durations for a session closed unassigned, and never a time after now", () => {
    const n = digestNote(close("2026-12-01T08:00:00Z", undefined, "2027-01-01T00:00:00Z"), now);
    expect(n).toMatchObject({ kind: "close", at: now });
    expect(n?.assign).toBeUndefined();
    expect(n?.handle).toBeUndefined();
  });
  it("counts opens and ignores inprogress and messages", () => {
    const open = viewEvent({
      type: "session_state_open",
      triggerId: "t",
      session: { id: "s", openTime: "2026-12-01T01:00:00Z" },
    });
    expect(digestNote(open, now)).toEqual({ kind: "open", at: Date.parse("2026-12-01T01:00:00Z"), session: "s" });
    expect(
      digestNote(viewEvent({ type: "session_state_inprogress", triggerId: "t", session: {} }), now),
    ).toBeUndefined();
    expect(digestNote(viewEvent({ type: "send_external_message", triggerId: "t" }), now)).toBeUndefined();
  });
});

describe("quantile (nearest rank)", () => {
  it.each<[number[], number, number | null]>([
    [[1, 2, 3, 4], 0.5, 2],
    [[1, 2, 3, 4, 5], 0.5, 3],
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9, 9],
    [[7], 0.9, 7],
    [[], 0.5, null],
  ])("%j at %d → %d", (values, q, expected) => {
    expect(
      quantile(
        values.map((v) => [v, 1] as const),
        q,
      ),
    ).toBe(expected);
  });
});

describe("a bucket", () => {
  it("stays bounded: SAMPLE durations, MAX_KEYS tags, three longest, whatever the traffic", () => {
    const b = emptyBucket();
    for (let i = 0; i < 1000; i++) {
      addNote(b, {
        kind: "close",
        at: 0,
        session: `s${i}`,
        reason: "r",
        tags: [`tag${i}`],
        assign: i,
        handle: 1000 - i,
      });
    }
    expect(b.c).toBe(1000);
    expect(b.a.n).toBe(1000);
    expect(b.a.v).toHaveLength(SAMPLE);
    expect(Object.keys(b.g)).toHaveLength(MAX_KEYS);
    expect(b.a.top?.map((l) => l.seconds)).toEqual([999, 998, 997]);
    const f = combine("d", 0, 3_600_000, [b]);
    // An estimate from 32 of 1000 uniform values: the median is near 500.
    expect(f.firstAssignment.medianSeconds).toBeGreaterThan(250);
    expect(f.firstAssignment.medianSeconds).toBeLessThan(750);
    expect(JSON.stringify(b).length).toBeLessThan(8000);
  });

  it("combines buckets, weighting each sample by what it stands for", () => {
    const a = emptyBucket();
    const b = emptyBucket();
    for (let i = 0; i < 3; i++) addNote(a, { kind: "close", at: 0, reason: "x", tags: ["t1"], handle: 10 });
    addNote(b, { kind: "close", at: 0, reason: "y", tags: ["t2", "t1"], handle: 100 });
    addNote(b, { kind: "open", at: 0 });
    addNote(b, { kind: "timer", at: 0 });
    addNote(b, { kind: "dead", at: 0 });
    const f = combine("d", 0, 1, [a, b]);
    expect(f).toMatchObject({
      sessions: { opened: 1, closed: 4 },
      closedByReason: { x: 3, y: 1 },
      tags: [
        { id: "t1", count: 4 },
        { id: "t2", count: 1 },
      ],
      handling: { medianSeconds: 10, p90Seconds: 100 },
      firstAssignment: { medianSeconds: null, p90Seconds: null, longest: [] },
      timersFired: 1,
      deadLetters: 1,
    });
  });
});

describe("nextLocalTime", () => {
  it.each<[string, string[] | undefined, string, string, string]>([
    ["09:00", undefined, "Asia/Seoul", "2026-12-01T00:00:00Z", "2026-12-02T00:00:00Z"],
    ["09:00", undefined, "Asia/Seoul", "2026-11-30T23:59:00Z", "2026-12-01T00:00:00Z"],
    ["09:00", ["mon"], "Asia/Seoul", "2026-12-01T00:00:00Z", "2026-12-07T00:00:00Z"],
    ["09:00", ["mon", "tue", "wed", "thu", "fri"], "UTC", "2026-12-04T10:00:00Z", "2026-12-07T09:00:00Z"],
    // New York across the spring change: 09:00 EST then 09:00 EDT
    ["09:00", undefined, "America/New_York", "2026-03-07T15:00:00Z", "2026-03-08T13:00:00Z"],
  ])("%s %j in %s after %s → %s", (at, days, zone, after, expected) => {
    expect(new Date(nextLocalTime(at, days, zone, Date.parse(after))).toISOString()).toBe(
      new Date(expected).toISOString(),
    );
  });
});
