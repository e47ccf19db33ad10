/**
 * Durations in config (`after`, `repeat` of a timer): a whole number and one
 * unit, `90s`, `5m`, `2h`, `7d`. A leaf: imports nothing of ours.
 */

const DURATION = /^([1-9][0-9]{0,6})(s|m|h|d)$/;
const UNIT_SECONDS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600, d: 86400 };

/** The shortest and longest timer duration: 10 seconds and 7 days. */
export const MIN_TIMER_SECONDS = 10;
export const MAX_TIMER_SECONDS = 7 * 86400;

/** At most this many repeats after a timer's first notice (7 notices in all). */
export const MAX_TIMER_REPEATS = 6;

/**
 * Seconds in a duration string, or undefined when it is not one.
 *
 * @example
 * durationSeconds("90s") // 90
 * durationSeconds("2h")  // 7200
 * durationSeconds("5 m") // undefined
 */
export function durationSeconds(text: string): number | undefined {
  const m = DURATION.exec(text);
  if (!m) return undefined;
  return Number(m[1]) * (UNIT_SECONDS[m[2] ?? ""] ?? Number.NaN);
}

/** Whether a duration string is a valid timer duration (10s .. 7d). */
export function isTimerDuration(text: string): boolean {
  const s = durationSeconds(text);
  return s !== undefined && s >= MIN_TIMER_SECONDS && s <= MAX_TIMER_SECONDS;
}

/**
 * Whether a digest's `covers` is valid: whole hours from 1h to 7d (digests keep hourly buckets).
 *
 * @example
 * isDigestCovers("24h") // true
 * isDigestCovers("90m") // false
 */
export function isDigestCovers(text: string): boolean {
  const s = durationSeconds(text);
  return s !== undefined && s % 3600 === 0 && s <= MAX_TIMER_SECONDS;
}
