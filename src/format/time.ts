/**
 * Times in messages: a UTC ISO time shown in the configured IANA zone (`[vars.ROUTING] timezone`,
 * default UTC), 24-hour, with the zone's abbreviation or offset: `2019-04-29 18:05 KST`.
 *
 * Intl's short zone names depend on the runtime's locale data: for Asia/Seoul, en-US gives
 * `GMT+9` and no locale reliably gives `KST`, so a small table names the zones support leads read
 * (KST, JST) and every other zone shows what Intl gives (`UTC`, `GMT+9`, `PDT`…). Formatters are
 * built once per zone (building one costs far more than using it).
 */

/** Abbreviations Intl does not give in en-US, by IANA zone and the offset they stand for. */
const ABBREVIATIONS: Record<string, { offset: string; name: string }> = {
  "Asia/Seoul": { offset: "GMT+9", name: "KST" },
  "Asia/Tokyo": { offset: "GMT+9", name: "JST" },
};

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
      timeZoneName: "short",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/**
 * Whether `name` is an IANA zone this runtime knows (for config validation).
 * @example isTimeZone("Asia/Seoul") // true; isTimeZone("KST") // false
 */
export function isTimeZone(name: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]{0,63}$/.test(name)) return false;
  try {
    formatterFor(name);
    return true;
  } catch {
    return false;
  }
}

/**
 * @example
 *   formatTime("2019-04-29T09:05:56.001Z", "Asia/Seoul") // "2019-04-29 18:05 KST"
 *   formatTime("2019-04-29T09:05:56.001Z") // "2019-04-29 09:05 UTC"
 *   formatTime("not a time", "Asia/Seoul") // "not a time" (shown as given)
 */
export function formatTime(iso: string, timeZone = "UTC"): string {
  const at = Date.parse(iso);
  if (!Number.isFinite(at)) return iso;
  let f: Intl.DateTimeFormat;
  try {
    f = formatterFor(timeZone);
  } catch {
    f = formatterFor("UTC");
    timeZone = "UTC";
  }
  const parts: Record<string, string> = {};
  for (const p of f.formatToParts(at)) parts[p.type] = p.value;
  let zone = parts.timeZoneName ?? "";
  const known = ABBREVIATIONS[timeZone];
  if (known && zone === known.offset) zone = known.name;
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute} ${zone}`.trimEnd();
}
