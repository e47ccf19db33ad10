/**
 * A tagged result for pure modules: success carries a value, failure a reason.
 * Callers map reasons to HTTP answers in one place (for ingest, src/ingest/errors.ts), so
 * detailed reasons reach the log and never the caller.
 */
export type Result<T, E> = { ok: true; value: T } | { ok: false; error: E };

export const ok = <T>(value: T): { ok: true; value: T } => ({ ok: true, value });
export const err = <E>(error: E): { ok: false; error: E } => ({ ok: false, error });
