/**
 * Email through Resend's HTTP API (https://resend.com/docs/api-reference/emails/send-email),
 * or any service that speaks it (`endpoint`): one POST with every recipient,
 * `Authorization: Bearer <key>` from the secret `api_key_secret` names.
 *
 * The answer goes through the shared retry table (http.ts): 429 and 5xx
 * retry, any other 4xx (401 bad key, 403, 422 `validation_error`…) dead-letters
 * at once with Resend's answer quoted. An `Idempotency-Key` stable per
 * (event, destination) makes a retry after a timeout safe: Resend answers a
 * repeated key without sending again (for 24 hours).
 *
 * Trade-off: the key is a secret and the request body holds the customer's
 * data, so neither appears in a reason or a log line; only Resend's answer does.
 */
import type { SendContext, SendOutcome } from "../contract.ts";
import { postJson } from "../http.ts";
import { formatMailbox, type Mailbox } from "./address.ts";
import { type EmailDestinationConfig, RESEND_ENDPOINT } from "./config.ts";
import type { EmailContent } from "./format.ts";

/** A formatted email with its envelope, as both providers take it. */
export interface OutgoingEmail extends EmailContent {
  readonly from: Mailbox;
  readonly to: readonly string[];
  /** Stable per (event, destination): Message-ID, Idempotency-Key. */
  readonly id: string;
  /** Extra headers; values are single-line text (not yet encoded). */
  readonly headers: Readonly<Record<string, string>>;
}

/**
 * @example
 * await sendViaResend({ provider: "resend", api_key_secret: "RESEND_API_KEY", … }, ctx, email)
 * // → { ok: true, status: 200 }
 * // → { ok: false, retryable: false, status: 422, reason: 'HTTP 422: {"statusCode":422,"name":"validation_error",…}' }
 */
export async function sendViaResend(
  dest: EmailDestinationConfig,
  ctx: SendContext,
  email: OutgoingEmail,
): Promise<SendOutcome> {
  const secret = dest.api_key_secret ?? "";
  const key = ctx.secret(secret);
  if (!key) return { ok: false, retryable: false, reason: `API key secret "${secret}" is not set` };
  const body = JSON.stringify({
    from: formatMailbox(email.from),
    to: email.to,
    subject: email.subject,
    text: email.text,
    html: email.html,
    headers: email.headers,
  });
  return postJson(dest.endpoint ?? RESEND_ENDPOINT, body, {
    timeoutMs: ctx.timeoutMs,
    headers: { authorization: `Bearer ${key}`, "idempotency-key": `gitple-relay/${email.id}` },
  });
}
