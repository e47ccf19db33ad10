/**
 * Times as the console shows them: `2019-04-29 18:05 KST`, 24-hour, in the
 * configured timezone, with the zone's abbreviation where the runtime's ICU
 * has none for the locale (it says `GMT+9` for Seoul), else its offset.
 */

/** Zones whose everyday abbreviation ICU's English data lacks. */
const ABBREVIATIONS: Readonly<Record<string, string>> = { "Asia/Seoul": "KST", "Asia/Tokyo": "JST" };
const formats = new Map<string, Intl.DateTimeFormat>();

function format(tz: string): Intl.DateTimeFormat {
  let f = formats.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: tz,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
      timeZoneName: "short",
    });
    formats.set(tz, f);
  }
  return f;
}

/**
 * @example
 * formatTime("2019-04-29T09:05:56.001Z", "Asia/Seoul") // "2019-04-29 18:05 KST"
 * formatTime("2019-04-29T09:05:56.001Z", "UTC")        // "2019-04-29 09:05 UTC"
 * formatTime(null, "UTC")                              // "—"
 */
export function formatTime(iso: unknown, tz: string): string {
  if (typeof iso !== "string" || iso === "") return "—";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const parts: Record<string, string> = {};
  for (const p of format(tz).formatToParts(date)) parts[p.type] = p.value;
  const zone = ABBREVIATIONS[tz] ?? parts.timeZoneName ?? tz;
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute} ${zone}`;
}
