/**
 * A scheduled digest's wording (issue 14, docs/time.md): its title and
 * labelled fields, which every kind lays out as it lays out an event's
 * (src/format/describe.ts hands them over), so Slack, email (a table),
 * Discord, Teams and Google Chat say the same within their own limits. In the
 * reader's language (`Language`, English by default).
 */
import type { DigestView } from "../event/view.ts";
import { oneLine as flat } from "../lib/text.ts";
import { formatWaited } from "./waited.ts";
import { type Language, wordsFor } from "./words.ts";

/**
 * @example
 * digestTitle({ name: "daily", opened: 12, closed: 10, … }) // "Digest daily: 12 sessions opened, 10 closed"
 * digestTitle({ name: "daily", opened: 0, closed: 0, … }, "ko") // "요약 daily: 상담 없음"
 */
export function digestTitle(d: DigestView, language: Language = "en"): string {
  const w = wordsFor(language);
  return flat(
    `${w.digest} ${d.name}: ${d.opened + d.closed === 0 ? w.noSessions : w.digestCounts(d.opened, d.closed)}`,
  );
}

/**
 * The digest's fields, leaving out what has no data; `time` shows an ISO time to the reader.
 *
 * @example
 * digestFields(d, (iso) => displayTime(iso, "Asia/Seoul"))
 * // → [{ label: "Period", value: "2026-12-01 09:00 KST – 2026-12-02 09:00 KST" }, { label: "Opened", value: "12" }, …]
 */
export function digestFields(
  d: DigestView,
  time: (iso: string) => string,
  language: Language = "en",
): { label: string; value: string; long?: boolean }[] {
  const w = wordsFor(language);
  const waited = (s: number | undefined) => (s === undefined ? "" : formatWaited(s, language));
  const pair = ([median, p90]: (number | undefined)[]) =>
    median === undefined ? "" : `${w.median} ${waited(median)}, p90 ${waited(p90)}`;
  const counted = (items: [string, number][]) => items.map(([k, n]) => `${flat(k)} (${n})`).join(", ");
  const values = [
    d.from && d.to ? `${time(d.from)} – ${time(d.to)}` : "",
    String(d.opened),
    String(d.closed),
    counted(d.reasons),
    counted(d.tags),
    counted(d.categories),
    pair(d.assign),
    pair(d.handle),
    String(d.timers),
    String(d.dead),
    d.longest
      .map((l) => `${waited(l.seconds)} · ${w.session} ${flat(l.session)}${l.link ? ` · ${l.link}` : ""}`)
      .join("\n"),
  ];
  return values.flatMap((value, i) =>
    value === "" ? [] : [{ label: w.digestLabels[i] ?? "", value, ...(i === 10 && { long: true }) }],
  );
}
