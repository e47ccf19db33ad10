/**
 * The one Slack Web API client: `chat.postMessage` (a new message, or a
 * reply with `thread_ts`) and `chat.update`, JSON bodies, the bot token only
 * in the `Authorization: Bearer` header (never in a URL, body, reason or log
 * line: http-json.ts redacts every header value from quoted answers).
 *
 * The Web API answers HTTP 200 with `{"ok": false, "error": "…"}` on failure
 * (https://docs.slack.dev/reference/methods/chat.postMessage,
 * https://docs.slack.dev/reference/methods/chat.update), so the body decides,
 * by its own table:
 *   429 or `ratelimited`                       retry after Retry-After
 *   auth, scope, channel and payload errors     dead letter at once, quoting the error
 *   on update: message gone or not editable     `lost`: the caller posts a new message
 *   `fatal`, `internal_error`, `service_unavailable`, 5xx, timeouts   retry with backoff
 * Trade-off: an error outside the table is not retried (Slack documents
 * dozens, nearly all about the request); its dead letter quotes it.
 */
import type { SendOutcome } from "../contract.ts";
import { parseRetryAfter } from "../http.ts";
import { requestJson } from "../http-json.ts";

/** Errors that no retry can fix: a dead letter at once. */
const DEAD = new Set([
  "invalid_auth",
  "not_authed",
  "token_revoked",
  "account_inactive",
  "missing_scope",
  "channel_not_found",
  "not_in_channel",
  "is_archived",
  "invalid_blocks",
  "msg_too_long",
]);
/** On `chat.update`: the message cannot be edited any more, so a new one is posted. */
const LOST = new Set(["message_not_found", "cant_update_message", "edit_window_closed"]);
/** Slack's own trouble: retried with backoff. */
const TRANSIENT = new Set(["fatal", "internal_error", "service_unavailable", "request_timeout"]);

/** Where and as whom: the API's base URL, the token, the attempt's timeout. */
export interface SlackClient {
  readonly apiUrl: string;
  readonly token: string;
  readonly timeoutMs: number;
}

export type SlackAnswer =
  | { readonly ok: true; readonly channel: string; readonly ts: string }
  | { readonly ok: false; readonly lost: true; readonly error: string }
  | { readonly ok: false; readonly lost: false; readonly outcome: Extract<SendOutcome, { ok: false }> };

type Method = "chat.postMessage" | "chat.update";

/**
 * Calls one Web API method with a JSON body (`channel`, `text`, `blocks`, and
 * `ts` for an update or `thread_ts` for a reply).
 *
 * @example
 * await callSlack(client, "chat.postMessage", { channel: "C0123ABCD", text: "…", blocks: […] })
 * // → { ok: true, channel: "C0123ABCD", ts: "1700000000.000100" }
 * // → { ok: false, lost: false, outcome: { ok: false, retryable: false, status: 200, reason: "Slack chat.postMessage: invalid_auth" } }
 */
export async function callSlack(
  client: SlackClient,
  method: Method,
  body: Record<string, unknown>,
): Promise<SlackAnswer> {
  const answer = await requestJson("POST", `${client.apiUrl}/${method}`, JSON.stringify(body), {
    timeoutMs: client.timeoutMs,
    headers: { authorization: `Bearer ${client.token}` },
  });
  const { outcome } = answer;
  if (!outcome.ok)
    return { ok: false, lost: false, outcome: { ...outcome, reason: `Slack ${method}: ${outcome.reason}` } };
  const json = (typeof answer.json === "object" && answer.json !== null ? answer.json : {}) as Record<string, unknown>;
  if (json.ok === true && typeof json.ts === "string") {
    return { ok: true, channel: typeof json.channel === "string" ? json.channel : String(body.channel), ts: json.ts };
  }
  const error = typeof json.error === "string" ? json.error.slice(0, 100) : "";
  const fail = (retryable: boolean, reason: string, retryAfterSeconds?: number): SlackAnswer => ({
    ok: false,
    lost: false,
    outcome: {
      ok: false,
      retryable,
      status: outcome.status,
      reason: `Slack ${method}: ${reason}`,
      ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
    },
  });
  if (error === "") return fail(true, "unreadable answer (no ok, ts or error)");
  if (error === "ratelimited" || error === "rate_limited")
    return fail(true, error, parseRetryAfter(answer.headers?.get("retry-after")) ?? 1);
  if (method === "chat.update" && LOST.has(error)) return { ok: false, lost: true, error };
  if (TRANSIENT.has(error)) return fail(true, error);
  if (DEAD.has(error)) return fail(false, error);
  return fail(false, error);
}
