/**
 * Quiet hours (issue 14, docs/time.md): whether an instant falls inside a
 * destination's `quiet_hours` in the configured zone, and until when.
 *
 * A window is `{ days }` (whole days), `{ from, to }` (every day, [from, to),
 * crossing midnight when from > to: the part after midnight belongs to the
 * day it started on) or both (those days only). Windows that touch or overlap
 * merge: `[{ days = ["sat","sun"] }, { from = "22:00", to = "08:00" }]` is one
 * quiet period from Friday 22:00 to Monday 08:00. Local times become instants
 * through the zone's offset at that time, so DST days are 23 or 25 hours long;
 * a wall time skipped by a DST jump ends the window at the first instant after
 * the gap.
 */

export interface QuietWindow {
  readonly days?: readonly string[];
  readonly from?: string;
  readonly to?: string;
}

export const DAY_NAMES = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] as const;
export const HH_MM = /^([01][0-9]|2[0-3]):([0-5][0-9])$/;

interface Local {
  year: number;
  month: number;
  day: number;
  weekday: number;
  minutes: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
      hourCycle: "h23",
      weekday: "short",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

function partsAt(at: number, timeZone: string): Local & { second: number } {
  const p: Record<string, string> = {};
  for (const part of formatter(timeZone).formatToParts(at)) p[part.type] = part.value;
  return {
    year: Number(p.year),
    month: Number(p.month),
    day: Number(p.day),
    weekday: DAY_NAMES.indexOf((p.weekday ?? "").toLowerCase().slice(0, 3) as (typeof DAY_NAMES)[number]),
    minutes: Number(p.hour) * 60 + Number(p.minute),
    second: Number(p.second),
  };
}

/** The zone's offset (ms, local minus UTC) at an instant. */
function offsetAt(at: number, timeZone: string): number {
  const p = partsAt(at, timeZone);
  const local = Date.UTC(p.year, p.month - 1, p.day, 0, p.minutes, p.second);
  return local - Math.floor(at / 1000) * 1000;
}

/**
 * The instant of a local wall time (day may overflow: Date.UTC normalises it).
 *
 * @example
 * localInstant(2026, 3, 8, 2 * 60 + 30, "America/New_York") // 03:00 EDT (02:30 does not exist that day)
 */
export function localInstant(year: number, month: number, day: number, minutes: number, timeZone: string): number {
  const guess = Date.UTC(year, month - 1, day, 0, minutes);
  const first = guess - offsetAt(guess, timeZone);
  const second = guess - offsetAt(first, timeZone);
  if (first === second || wallMinutes(first, timeZone) === wallMinutes(guess, "UTC")) return Math.min(first, second);
  if (wallMinutes(second, timeZone) === wallMinutes(guess, "UTC")) return second;
  // A wall time the zone skips (DST gap): the first instant after the jump, found by halving.
  let lo = Math.min(first, second);
  let hi = Math.max(first, second);
  const after = offsetAt(hi, timeZone);
  while (hi - lo > 60_000) {
    const mid = lo + Math.floor((hi - lo) / 120_000) * 60_000;
    if (offsetAt(mid, timeZone) === after) hi = mid;
    else lo = mid;
  }
  return hi;
}

function wallMinutes(at: number, timeZone: string): number {
  const p = partsAt(at, timeZone);
  return Date.UTC(p.year, p.month - 1, p.day) / 60_000 + p.minutes;
}

const minutesOf = (hhmm: string): number => {
  const m = HH_MM.exec(hhmm);
  return m ? Number(m[1]) * 60 + Number(m[2]) : 0;
};

function dayIn(window: QuietWindow, weekday: number): boolean {
  return window.days === undefined || window.days.includes(DAY_NAMES[(weekday + 7) % 7] ?? "");
}

/** The end of this window if it contains local time `t`, else undefined. */
function endOf(window: QuietWindow, t: Local, timeZone: string): number | undefined {
  const at = (dayOffset: number, minutes: number) =>
    localInstant(t.year, t.month, t.day + dayOffset, minutes, timeZone);
  if (window.from === undefined || window.to === undefined) {
    return dayIn(window, t.weekday) ? at(1, 0) : undefined;
  }
  const from = minutesOf(window.from);
  const to = minutesOf(window.to);
  if (from < to) return t.minutes >= from && t.minutes < to && dayIn(window, t.weekday) ? at(0, to) : undefined;
  if (t.minutes >= from && dayIn(window, t.weekday)) return at(1, to);
  if (t.minutes < to && dayIn(window, t.weekday - 1)) return at(0, to);
  return undefined;
}

/**
 * When the quiet period containing `now` ends (ms), merging windows that
 * touch; null when `now` is not quiet.
 *
 * @example
 * quietUntil([{ from: "22:00", to: "08:00" }], "Asia/Seoul", Date.parse("2026-12-01T14:30:00Z")) // 23:30 KST
 * // → Date.parse("2026-12-01T23:00:00Z") (08:00 KST the next morning)
 */
export function quietUntil(windows: readonly QuietWindow[], timeZone: string, now: number): number | null {
  let until: number | null = null;
  let t = now;
  // Each step moves to the end of a window; a week of merged windows is at most ~14 steps.
  for (let step = 0; step < 32; step++) {
    const local = partsAt(t, timeZone);
    let end: number | undefined;
    for (const w of windows) {
      const e = endOf(w, local, timeZone);
      if (e !== undefined && e > t && (end === undefined || e > end)) end = e;
    }
    if (end === undefined) break;
    until = end;
    t = end;
  }
  return until;
}

/**
 * The first instant after `after` at local time `at` ("HH:MM" in the zone) on one of `days`
 * (every day when absent): when a digest is next sent (src/digests). A wall time the zone skips
 * (DST) is the first instant after the jump, as for quiet hours.
 *
 * @example
 * nextLocalTime("09:00", ["mon"], "Asia/Seoul", Date.parse("2026-12-01T00:00:00Z")) // Tuesday 09:00 KST
 * // → Date.parse("2026-12-07T00:00:00Z") (Monday 09:00 KST)
 */
export function nextLocalTime(
  at: string,
  days: readonly string[] | undefined,
  timeZone: string,
  after: number,
): number {
  const t = partsAt(after, timeZone);
  for (let d = 0; d < 9; d++) {
    const instant = localInstant(t.year, t.month, t.day + d, minutesOf(at), timeZone);
    if (instant > after && dayIn({ days }, t.weekday + d)) return instant;
  }
  return after + 86_400_000;
}
