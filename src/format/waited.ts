/**
 * How long a session has waited, for timer notices (issue 14): seconds under
 * a minute, then minutes, hours and days, in the destination's language
 * (the units are words.ts's): `30초` / `30s`, `5분` / `5 min`, `1시간 30분` / `1 h 30 min`.
 */
import { type Language, wordsFor } from "./words.ts";

export type { Language };

/**
 * @example
 * formatWaited(30, "ko")   // "30초"
 * formatWaited(300, "en")  // "5 min"
 * formatWaited(5400, "ko") // "1시간 30분"
 * formatWaited(90000, "en") // "1 d 1 h"
 */
export function formatWaited(seconds: number, language?: Language): string {
  const u = wordsFor(language);
  const s = Math.max(0, Math.floor(seconds));
  if (s < 60) return `${s}${u.s}`;
  const days = Math.floor(s / 86400);
  const hours = Math.floor((s % 86400) / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  const parts: string[] = [];
  if (days > 0) parts.push(`${days}${u.d}`);
  if (hours > 0) parts.push(`${hours}${u.h}`);
  if (minutes > 0 && days === 0) parts.push(`${minutes}${u.m}`);
  return parts.join(" ");
}
