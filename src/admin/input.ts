/**
 * Checks of the admin API's query parameters and path ids, before any storage
 * is touched: a bad value is a 400 naming the parameter, never a 500 or a
 * KV call with garbage. Pure; each check returns a Result whose error is the
 * public message.
 *
 * Paging cursors are KV's own, wrapped in base64url so they can be pasted
 * into a URL as they are (KV's may hold `+`, `/` and `=`).
 */
import { MAX_ID_LENGTH } from "../ingest/parse.ts";
import { err, ok, type Result } from "../result.ts";

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 100;

/** A dead letter's id is its delivery's: 32 hex digits of the eventKey, ".", the destination name. */
const DEAD_LETTER_ID = /^[0-9a-f]{32}\.[A-Za-z0-9_-]{1,128}$/;
const CURSOR = /^[A-Za-z0-9_-]{1,2048}$/;
const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

/**
 * `?limit=`: absent → 50; else a whole number from 1 to 100.
 *
 * @example
 * parseLimit(undefined) // { ok: true, value: 50 }
 * parseLimit("500")     // { ok: false, error: "limit must be a whole number from 1 to 100" }
 */
export function parseLimit(raw: string | undefined): Result<number, string> {
  if (raw === undefined) return ok(DEFAULT_LIMIT);
  const n = /^\d{1,3}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(n >= 1 && n <= MAX_LIMIT)) return err(`limit must be a whole number from 1 to ${MAX_LIMIT}`);
  return ok(n);
}

/**
 * The `cursor` to answer for KV's list cursor: URL-safe as it is.
 *
 * @example
 * cursorToken("eDE=") // "ZURFPQ"
 */
export function cursorToken(kvCursor: string): string {
  let binary = "";
  for (const b of new TextEncoder().encode(kvCursor)) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/**
 * `?cursor=`: absent → the first page; else the `cursor` of a previous answer, unwrapped for KV.
 *
 * @example
 * parseCursor("ZURFPQ") // { ok: true, value: "eDE=" }
 * parseCursor("x y")    // { ok: false, error: "invalid cursor: …" }
 */
export function parseCursor(raw: string | undefined): Result<string | undefined, string> {
  if (raw === undefined) return ok(undefined);
  if (CURSOR.test(raw)) {
    try {
      const binary = atob(raw.replace(/-/g, "+").replace(/_/g, "/"));
      const kvCursor = utf8.decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
      if (kvCursor.length > 0) return ok(kvCursor);
    } catch {
      // not base64, or not text: fall through
    }
  }
  return err("invalid cursor: pass the cursor of a previous answer, or none for the first page");
}

/**
 * @example
 * parseDeadLetterId("3f1c…(32 hex).ops") // ok
 * parseDeadLetterId("../etc")            // { ok: false, error: "invalid dead letter id" }
 */
export function parseDeadLetterId(raw: string): Result<string, string> {
  return DEAD_LETTER_ID.test(raw) ? ok(raw) : err("invalid dead letter id");
}

/**
 * A required, non-empty id parameter of at most 256 characters (Gitple's ids, as /events accepts them).
 *
 * @example
 * parseIdParam("triggerId", undefined) // { ok: false, error: 'missing query parameter "triggerId"' }
 */
export function parseIdParam(name: string, raw: string | undefined): Result<string, string> {
  if (raw === undefined || raw === "") return err(`missing query parameter "${name}"`);
  if (raw.length > MAX_ID_LENGTH) return err(`query parameter "${name}" is longer than ${MAX_ID_LENGTH} characters`);
  return ok(raw);
}
