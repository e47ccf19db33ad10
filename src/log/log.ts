/**
 * Structured logs: one JSON object per line, which Workers Logs index by field.
 *
 * Callers pass only named, non-secret fields (ids, names, statuses, outcomes);
 * nothing here accepts a URL, a secret, a signature or message content, and the
 * field list is the only way in, so a secret can only reach a log by someone
 * naming it a field. Keep it that way.
 */

export type LogLevel = "info" | "warn" | "error";

export type LogFields = Record<string, string | number | boolean | null | undefined | string[]>;

/** Writes one log line: `{"level":"info","msg":"event accepted","triggerId":"…",…}`. */
export function log(level: LogLevel, msg: string, fields: LogFields = {}): void {
  const line = JSON.stringify({ level, msg, ...fields });
  if (level === "error") console.error(line);
  else if (level === "warn") console.warn(line);
  else console.log(line);
}

/** An exception as a loggable string, with anything URL-shaped removed (webhook URLs are secrets). */
export function errorText(e: unknown): string {
  const text = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  return text.replace(/[a-z][a-z0-9+.-]*:\/\/\S+/gi, "[url]").slice(0, 300);
}
