/**
 * Times as the console shows them: the messages' own format (src/format/time.ts,
 * `2019-04-29 18:05 KST`, 24-hour, in the configured timezone), and a dash for
 * a time that is missing.
 */
import { formatTime as formatZoned } from "../format/time.ts";

/**
 * @example
 * formatTime("2019-04-29T09:05:56.001Z", "Asia/Seoul") // "2019-04-29 18:05 KST"
 * formatTime("2019-04-29T09:05:56.001Z", "UTC")        // "2019-04-29 09:05 UTC"
 * formatTime(null, "UTC")                              // "—"
 */
export function formatTime(iso: unknown, tz: string): string {
  if (typeof iso !== "string" || iso === "") return "—";
  return formatZoned(iso, tz);
}
