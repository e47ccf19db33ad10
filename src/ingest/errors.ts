/**
 * The ingest failures and the one table that turns each into an HTTP answer.
 * The steps return tagged reasons (src/ingest/accept.ts); `POST /events`
 * (src/http/events.ts) and `POST /admin/explain` (src/admin/explain.ts) both
 * answer through `publicError`, so the same bad body gets the same answer.
 * It sits here, below both, so that neither top layer imports the other.
 * Callers get a short public message; the detailed reason goes to the log.
 * The switch is exhaustive: a new reason does not compile until it has an answer.
 */
import type { ParseError } from "./parse.ts";

export type IngestError =
  | { reason: "body_too_large" }
  | { reason: "body_unreadable" }
  | { reason: "secret_missing" }
  | { reason: "signature_invalid" }
  | ParseError
  | { reason: "config_invalid"; problems: readonly string[] }
  | { reason: "storage_unavailable"; step: "dedup_read" | "enqueue" | "timers" | "digests" | "dedup_write" };

export interface PublicError {
  status: 400 | 401 | 413 | 500 | 503;
  body: { error: string };
}

/**
 * @example
 * publicError({ reason: "missing_field", field: "triggerId" })
 * // → { status: 400, body: { error: 'missing or empty string field "triggerId"' } }
 */
export function publicError(e: IngestError): PublicError {
  switch (e.reason) {
    case "body_too_large":
      return { status: 413, body: { error: "body too large (limit 256 KiB)" } };
    case "body_unreadable":
      return { status: 400, body: { error: "body could not be read" } };
    case "secret_missing":
    case "config_invalid":
      return { status: 500, body: { error: "relay misconfigured" } };
    case "signature_invalid":
      return { status: 401, body: { error: "invalid signature" } };
    case "invalid_utf8":
      return { status: 400, body: { error: "body is not valid UTF-8" } };
    case "invalid_json":
      return { status: 400, body: { error: "body is not valid JSON" } };
    case "not_object":
      return { status: 400, body: { error: "body must be a JSON object" } };
    case "missing_field":
      return { status: 400, body: { error: `missing or empty string field "${e.field}"` } };
    case "field_too_long":
      return { status: 400, body: { error: `field "${e.field}" is longer than 256 characters` } };
    case "storage_unavailable":
      return { status: 503, body: { error: "temporarily unavailable, retry later" } };
  }
}
