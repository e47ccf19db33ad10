/**
 * Parses a verified body into a Gitple event. Only what every event needs is
 * required: a JSON object with non-empty string `triggerId` and `type`; the
 * rest is read defensively by src/event/view.ts. Unknown types are accepted
 * (Gitple may add more). The body must be UTF-8 (JSON's own rule, RFC 8259 §8.1).
 */
import type { RawEvent } from "../event/raw.ts";
import { err, ok, type Result } from "../result.ts";

export type { RawEvent };

export type ParseError =
  | { reason: "invalid_utf8" }
  | { reason: "invalid_json" }
  | { reason: "not_object" }
  | { reason: "missing_field"; field: "triggerId" | "type" }
  | { reason: "field_too_long"; field: "triggerId" | "type" | "appCode" };

/** Ids longer than this are not Gitple's; refusing them keeps keys and logs sane. */
export const MAX_ID_LENGTH = 256;

const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

/**
 * @example
 * parseEvent(new TextEncoder().encode('{"triggerId":"t1","type":"session_state_open"}'))
 * // → { ok: true, value: { raw: '{"triggerId":…}', event: { triggerId: "t1", type: "session_state_open" } } }
 */
export function parseEvent(body: Uint8Array): Result<{ raw: string; event: RawEvent }, ParseError> {
  let raw: string;
  try {
    raw = decoder.decode(body);
  } catch {
    return err({ reason: "invalid_utf8" });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return err({ reason: "invalid_json" });
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return err({ reason: "not_object" });
  const event = parsed as Record<string, unknown>;
  for (const field of ["triggerId", "type"] as const) {
    const value = event[field];
    if (typeof value !== "string" || value.length === 0) return err({ reason: "missing_field", field });
    if (value.length > MAX_ID_LENGTH) return err({ reason: "field_too_long", field });
  }
  if (typeof event.appCode === "string" && event.appCode.length > MAX_ID_LENGTH) {
    return err({ reason: "field_too_long", field: "appCode" });
  }
  return ok({ raw, event: event as RawEvent });
}
