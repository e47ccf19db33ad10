/**
 * A JSON request whose answer matters (an API, not a fire-and-forget
 * webhook): the per-session modes need the id a receiver gives a message
 * (Slack's `ts`, Discord's message id, Google Chat's thread name). The same
 * status table as every webhook (http.ts's `classifyResponse`), and the same
 * care: never throws, no URL or header value in a reason, at most 4 KB read.
 */
import type { SendOutcome } from "./contract.ts";
import { classifyResponse, readPrefix, redactRequest } from "./http.ts";

/** An API answer can echo the whole message (Slack's `message`, Discord's): room for it, still bounded. */
const MAX_RESPONSE_BYTES = 65_536;

/** The outcome by status, the answer's headers and its JSON body (undefined when it is none). */
export interface JsonAnswer {
  readonly outcome: SendOutcome;
  readonly headers?: Headers;
  readonly json?: unknown;
}

/**
 * Sends `body` as JSON with `method` and reads the answer.
 *
 * @example
 * await requestJson("POST", `${url}?wait=true`, body, { timeoutMs: 10_000 })
 * // → { outcome: { ok: true, status: 200 }, headers, json: { id: "1234", … } }
 */
export async function requestJson(
  method: "POST" | "PATCH",
  url: string,
  body: string,
  opts: { timeoutMs: number; headers?: Record<string, string> },
): Promise<JsonAnswer> {
  if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol))
    return { outcome: { ok: false, retryable: false, reason: "invalid URL (expected http or https)" } };
  const timeoutMs = Math.min(Math.max(Math.ceil(opts.timeoutMs) || 1, 1), 2_147_483_647);
  const signal = AbortSignal.timeout(timeoutMs);
  const headers = new Headers(opts.headers);
  headers.set("content-type", "application/json; charset=utf-8");
  let res: Response;
  try {
    res = await fetch(url, { method, headers, body, redirect: "manual", signal });
  } catch {
    if (signal.aborted)
      return { outcome: { ok: false, retryable: true, reason: `timed out after ${timeoutMs / 1000}s` } };
    return { outcome: { ok: false, retryable: true, reason: "network error" } };
  }
  const text = redactRequest(await readPrefix(res, MAX_RESPONSE_BYTES, signal), url, opts.headers);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { outcome: classifyResponse(res.status, res.headers, text), headers: res.headers, json };
}
