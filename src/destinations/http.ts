/**
 * The HTTP side of every webhook-style destination: one POST helper and the ONE
 * table that maps a receiver's answer to a `SendOutcome` (Alertmanager's
 * notifiers share a single status → retry table the same way).
 *
 * Trade-off: the table is deliberately coarse. Only 408, 429 and 5xx are worth
 * retrying; every other non-2xx (3xx included: redirects are not followed, a
 * moved webhook is a config problem) fails for good, even though a few 4xx
 * could in theory heal. A wrong "retry" costs up to `max_attempts` useless
 * requests per event; a wrong "give up" lands the event in the dead letters,
 * where it can be replayed.
 */
import { MAX_QUEUE_DELAY_SECONDS } from "../config/shared.ts";
import { oneLine } from "../lib/text.ts";
import type { SendOutcome } from "./contract.ts";

/** Bytes of the receiver's answer we read; enough for Slack's `channel_not_found`-style bodies. */
const MAX_RESPONSE_BYTES = 4096;
/** Characters of that answer quoted in a failure reason. */
const MAX_REASON_CHARS = 200;

/**
 * POSTs a JSON body and classifies the answer. Never throws: network errors
 * and timeouts are outcomes too, and no reason ever contains the URL (webhook
 * URLs are secrets).
 *
 * `content-type: application/json` always wins over `opts.headers`. Redirects
 * are not followed. At most 4 KB of the answer is read.
 *
 * @example
 * await postJson(url, JSON.stringify({ text: "hi" }), { timeoutMs: 10_000 })
 * // → { ok: true, status: 200 }
 * // → { ok: false, retryable: true, reason: "timed out after 10s" }
 * // → { ok: false, retryable: false, status: 404, reason: "HTTP 404: channel_not_found" }
 */
export async function postJson(
  url: string,
  body: string,
  opts: { timeoutMs: number; headers?: Record<string, string> },
): Promise<SendOutcome> {
  if (!isHttpUrl(url)) return { ok: false, retryable: false, reason: "invalid URL (expected http or https)" };
  const timeoutMs = Math.min(Math.max(Math.ceil(opts.timeoutMs) || 1, 1), 2_147_483_647);
  const signal = AbortSignal.timeout(timeoutMs);
  const headers = new Headers(opts.headers);
  headers.set("content-type", "application/json");
  let res: Response;
  try {
    res = await fetch(url, { method: "POST", headers, body, redirect: "manual", signal });
  } catch {
    // The error's message may quote the URL: only its kind leaves this function.
    if (signal.aborted) return { ok: false, retryable: true, reason: `timed out after ${timeoutMs / 1000}s` };
    return { ok: false, retryable: true, reason: "network error" };
  }
  const answer = await readPrefix(res, MAX_RESPONSE_BYTES, signal);
  return classifyResponse(res.status, res.headers, redactRequest(answer, url, opts.headers));
}

/** Header values shorter than this are not treated as secrets (they would blank ordinary words). */
const MIN_SECRET_LENGTH = 8;

/**
 * The answer with our request taken out, since the reason is logged and kept
 * in dead letters. Many frameworks echo the request path in an error page
 * ("Cannot POST /services/T0/B0/XXXX"), and a webhook's path or query is its
 * secret part; a debugging receiver may echo our headers (an API key, a
 * secret header, the signature). The whole URL, the URL without its scheme,
 * its path and query become `[webhook URL]`; every header value we sent, and
 * each long word of it (the token of `Bearer <token>`), becomes `[redacted]`;
 * each also as it looks JSON-escaped or URL-encoded. Longest first.
 */
export function redactRequest(text: string, url: string, headers: Record<string, string> = {}): string {
  const needles = new Map<string, string>();
  const add = (value: string, label: string) => {
    for (const form of [value, JSON.stringify(value).slice(1, -1), encodeURIComponent(value)]) {
      if (form.length > 1 && !needles.has(form)) needles.set(form, label);
    }
  };
  if (URL.canParse(url)) {
    const { protocol, pathname, search } = new URL(url);
    for (const part of [url, url.slice(protocol.length + 2), pathname + search, pathname, search]) {
      add(part, "[webhook URL]");
    }
  }
  for (const [name, value] of Object.entries(headers)) {
    if (name.toLowerCase() === "content-type") continue;
    for (const word of [value, ...value.split(/\s+/)]) if (word.length >= MIN_SECRET_LENGTH) add(word, "[redacted]");
  }
  let out = text;
  for (const [needle, label] of [...needles].sort((a, b) => b[0].length - a[0].length)) {
    out = out.split(needle).join(label);
  }
  return out;
}

/**
 * The shared status table: 2xx delivered; 408, 429 and 5xx retryable; anything
 * else (3xx, 400, 401, 403, 404, 410, 422, …) not. On 429 and 503 a valid
 * `Retry-After` becomes `retryAfterSeconds`; without one, a JSON body's
 * `retry_after` (Discord's, in seconds) does. The reason quotes the first 200
 * characters of the answer, whitespace collapsed.
 *
 * @example
 * classifyResponse(429, new Headers({ "retry-after": "30" }), "rate_limited")
 * // → { ok: false, retryable: true, status: 429, reason: "HTTP 429: rate_limited", retryAfterSeconds: 30 }
 */
export function classifyResponse(status: number, headers: Headers, bodyText: string): SendOutcome {
  if (status >= 200 && status <= 299) return { ok: true, status };
  const retryable = status === 408 || status === 429 || (status >= 500 && status <= 599);
  const quoted = quote(bodyText);
  const reason = quoted ? `HTTP ${status}: ${quoted}` : `HTTP ${status}`;
  if (status === 429 || status === 503) {
    const retryAfterSeconds = parseRetryAfter(headers.get("retry-after")) ?? jsonRetryAfter(bodyText);
    if (retryAfterSeconds !== undefined) return { ok: false, retryable, status, reason, retryAfterSeconds };
  }
  return { ok: false, retryable, status, reason };
}

/**
 * Discord's 429 body, `{"message": …, "retry_after": 1.234, "global": false}`
 * (https://discord.com/developers/docs/topics/rate-limits#exceeding-a-rate-limit):
 * seconds, possibly fractional, rounded up and clamped like `Retry-After`. Only
 * consulted when no usable `Retry-After` header came with the answer.
 */
function jsonRetryAfter(bodyText: string): number | undefined {
  if (!bodyText.includes("retry_after")) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(bodyText);
  } catch {
    return undefined;
  }
  const seconds =
    typeof parsed === "object" && parsed !== null ? (parsed as Record<string, unknown>).retry_after : undefined;
  return typeof seconds === "number" && Number.isFinite(seconds) && seconds >= 0
    ? clampRetry(Math.ceil(seconds))
    : undefined;
}

const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
// RFC 9110 §5.6.7: a recipient MUST accept all three HTTP-date formats.
const IMF_FIXDATE = /^[a-z]{3}, (\d{2}) ([a-z]{3}) (\d{4}) (\d{2}):(\d{2}):(\d{2}) GMT$/i;
const RFC850_DATE = /^[a-z]{6,9}, (\d{2})-([a-z]{3})-(\d{2}) (\d{2}):(\d{2}):(\d{2}) GMT$/i;
const ASCTIME_DATE = /^[a-z]{3} ([a-z]{3}) ([ \d]\d) (\d{2}):(\d{2}):(\d{2}) (\d{4})$/i;

/**
 * Reads `Retry-After` (RFC 9110 §10.2.3: `HTTP-date / delay-seconds`) as whole
 * seconds from `now`, clamped to 0..43200 (the Queues delay limit). Garbage,
 * negative or fractional values are ignored (undefined).
 *
 * @example
 * parseRetryAfter("120") // → 120
 * parseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT", Date.parse("2015-10-21T07:27:00Z")) // → 60
 * parseRetryAfter("soon") // → undefined
 */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (value == null) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return clampRetry(Number(v));
  const at = parseHttpDate(v, now);
  return at === undefined ? undefined : clampRetry(Math.ceil((at - now) / 1000));
}

function parseHttpDate(v: string, now: number): number | undefined {
  let m = IMF_FIXDATE.exec(v);
  if (m) return utc(Number(m[3]), m[2], Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6]));
  m = RFC850_DATE.exec(v);
  if (m) {
    // RFC 9110: a two-digit year more than 50 years in the future means the past century.
    let year = 2000 + Number(m[3]);
    if (year > new Date(now).getUTCFullYear() + 50) year -= 100;
    return utc(year, m[2], Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6]));
  }
  m = ASCTIME_DATE.exec(v);
  if (m) return utc(Number(m[6]), m[1], Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]));
  return undefined;
}

/** A UTC time from HTTP-date parts; undefined for a time that does not exist (31 Feb, 25:00). */
function utc(
  year: number,
  mon: string | undefined,
  day: number,
  h: number,
  min: number,
  s: number,
): number | undefined {
  const month = MONTHS.indexOf(mon?.toLowerCase() ?? "");
  if (month < 0 || h > 23 || min > 59 || s > 60) return undefined;
  const t = Date.UTC(year, month, day, h, min, s);
  // Date.UTC rolls 31 Feb over to 3 March: a day that changed never existed.
  return new Date(t).getUTCDate() === day ? t : undefined;
}

function clampRetry(seconds: number): number {
  return Math.min(Math.max(seconds, 0), MAX_QUEUE_DELAY_SECONDS);
}

function isHttpUrl(url: string): boolean {
  if (!URL.canParse(url)) return false;
  const { protocol } = new URL(url);
  return protocol === "https:" || protocol === "http:";
}

/** The receiver's answer, whitespace and control characters collapsed, cut to 200 characters (never mid-pair). */
function quote(text: string): string {
  const flat = oneLine(text);
  if (flat.length <= MAX_REASON_CHARS) return flat;
  const cut = isHighSurrogate(flat.charCodeAt(MAX_REASON_CHARS - 1)) ? MAX_REASON_CHARS - 1 : MAX_REASON_CHARS;
  return flat.slice(0, cut);
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/**
 * Reads at most `maxBytes` of the body as UTF-8, then cancels the rest. A body
 * that fails or stalls mid-way (the timeout cancels the read) yields what had
 * arrived: the status alone decides the outcome.
 */
export async function readPrefix(res: Response, maxBytes: number, signal: AbortSignal): Promise<string> {
  if (!res.body) return "";
  const reader = res.body.getReader();
  const cancel = () => void reader.cancel().catch(() => {});
  signal.addEventListener("abort", cancel, { once: true });
  const bytes = new Uint8Array(maxBytes);
  let size = 0;
  try {
    while (size < maxBytes) {
      const { done, value } = await reader.read();
      if (done) break;
      const chunk = value instanceof Uint8Array ? value : new Uint8Array(value as ArrayBuffer);
      const take = Math.min(chunk.byteLength, maxBytes - size);
      bytes.set(chunk.subarray(0, take), size);
      size += take;
    }
  } catch {
    // A partial answer is still an answer.
  } finally {
    signal.removeEventListener("abort", cancel);
    cancel();
  }
  // `stream: true` drops a multi-byte character cut at the 4 KB boundary instead of showing U+FFFD.
  return new TextDecoder().decode(bytes.subarray(0, size), { stream: true });
}
