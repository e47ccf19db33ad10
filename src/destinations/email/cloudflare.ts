/**
 * Email through the Workers `send_email` binding (Cloudflare Email Routing to
 * verified addresses, or Email Service):
 * https://developers.cloudflare.com/email-service/api/send-emails/workers-api/
 *
 * The binding takes one envelope recipient per `EmailMessage`, so the same
 * MIME message (every address in its To header, one Message-ID) is sent once
 * per address, in order, stopping at the first failure.
 *
 * A failed `send()` throws; whether a retry can help is read from the error:
 * - Email Service's `code`: `E_RATE_LIMIT_EXCEEDED`, `E_DAILY_LIMIT_EXCEEDED`,
 *   `E_INTERNAL_SERVER_ERROR` and `E_DELIVERY_FAILED` are retried (the first
 *   two after a pause); every other code (`E_SENDER_NOT_VERIFIED`,
 *   `E_RECIPIENT_NOT_ALLOWED`, `E_RECIPIENT_SUPPRESSED`, `E_VALIDATION_ERROR`,
 *   `E_HEADER_*`…) is a configuration or content problem a retry cannot fix,
 *   so the delivery dead-letters at once;
 * - without a code (Email Routing, the local binding): a message saying the
 *   address is not verified or not allowed, the From does not match, or the
 *   message is invalid is permanent; anything else is retried.
 * The reason quotes the first 200 characters of the error, never the message.
 *
 * Trade-offs: when a later recipient fails retryably, the retry sends to the
 * earlier ones again (with the same Message-ID, which many clients collapse);
 * give each address its own destination where that matters. The binding has
 * no abort signal: after `timeoutMs` the attempt is reported as timed out and
 * retried, though the first send may still complete.
 */
import { EmailMessage } from "cloudflare:email";
import type { SendContext, SendOutcome } from "../contract.ts";
import type { EmailDestinationConfig } from "./config.ts";
import { buildMime } from "./mime.ts";
import type { OutgoingEmail } from "./resend.ts";

/** Codes (Workers API error table) worth another attempt, and how long to wait first. */
const RETRYABLE_CODES: Readonly<Record<string, number | undefined>> = {
  E_RATE_LIMIT_EXCEEDED: 60,
  E_DAILY_LIMIT_EXCEEDED: 3600,
  E_INTERNAL_SERVER_ERROR: undefined,
  E_DELIVERY_FAILED: undefined,
};

/** Errors without a code that no retry can fix: Email Routing's and the local binding's wording. */
const PERMANENT_MESSAGE = /not (?:a )?verified|not allowed|does not match|could not parse|invalid|suppress/i;

const MAX_REASON_CHARS = 200;

/**
 * Sends the email once per recipient through the binding the destination names.
 *
 * @example
 * await sendViaBinding(dest, ctx, email) // → { ok: true, status: 202 }
 */
export async function sendViaBinding(
  dest: EmailDestinationConfig,
  ctx: SendContext,
  email: OutgoingEmail,
): Promise<SendOutcome> {
  const binding = Reflect.get(ctx.env, dest.binding) as SendEmail | undefined;
  if (typeof binding !== "object" || binding === null || typeof binding.send !== "function") {
    return { ok: false, retryable: false, reason: `send_email binding "${dest.binding}" is not configured` };
  }
  let raw: string;
  try {
    raw = buildMime({
      from: email.from,
      to: email.to,
      subject: email.subject,
      text: email.text,
      html: email.html,
      messageId: `<${email.id}@${email.from.addr.slice(email.from.addr.lastIndexOf("@") + 1)}>`,
      date: new Date(),
      headers: email.headers,
    });
  } catch (e) {
    return { ok: false, retryable: false, reason: `could not build the message: ${describeError(e)}` };
  }
  for (const [i, to] of email.to.entries()) {
    const sent = await withTimeout(binding.send(new EmailMessage(email.from.addr, to, raw)), ctx.timeoutMs);
    if (!sent.ok) {
      const outcome = classifySendError(sent.error);
      return { ...outcome, reason: `send_email to recipient ${i + 1} of ${email.to.length} failed: ${outcome.reason}` };
    }
  }
  // No HTTP status here: 202 says "accepted for delivery".
  return { ok: true, status: 202 };
}

/**
 * Whether a `send()` error is worth a retry (see the module header), and a
 * short reason quoting it; a `"timeout"` is the binding not answering in time.
 *
 * @example
 * classifySendError(Object.assign(new Error("Rate limit exceeded"), { code: "E_RATE_LIMIT_EXCEEDED" }))
 * // → { ok: false, retryable: true, reason: "E_RATE_LIMIT_EXCEEDED: Rate limit exceeded", retryAfterSeconds: 60 }
 * classifySendError(new Error("destination address is not a verified address"))
 * // → { ok: false, retryable: false, reason: "destination address is not a verified address" }
 */
export function classifySendError(error: unknown): Extract<SendOutcome, { ok: false }> {
  const code = typeof error === "object" && error !== null ? Reflect.get(error, "code") : undefined;
  const text = describeError(error);
  if (typeof code === "string" && code !== "") {
    const reason = `${code}: ${text}`.slice(0, MAX_REASON_CHARS);
    if (!Object.hasOwn(RETRYABLE_CODES, code)) return { ok: false, retryable: false, reason };
    const retryAfterSeconds = RETRYABLE_CODES[code];
    return retryAfterSeconds === undefined
      ? { ok: false, retryable: true, reason }
      : { ok: false, retryable: true, reason, retryAfterSeconds };
  }
  return { ok: false, retryable: !PERMANENT_MESSAGE.test(text), reason: text };
}

/** The error's message on one line, URLs removed (they may carry tokens), at most 200 characters. */
function describeError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const flat = message
    .replace(/[a-z][a-z0-9+.-]*:\/\/\S+/gi, "[url]")
    .replace(/[\s\p{Cc}]+/gu, " ")
    .trim();
  return (flat || "unknown error").slice(0, MAX_REASON_CHARS).toWellFormed();
}

async function withTimeout<T>(
  promise: Promise<T>,
  timeoutMs: number,
): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<{ ok: false; error: unknown }>((resolve) => {
    timer = setTimeout(
      () => resolve({ ok: false, error: new Error(`timed out after ${timeoutMs / 1000}s`) }),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([
      promise.then(
        (value) => ({ ok: true as const, value }),
        (error: unknown) => ({ ok: false as const, error }),
      ),
      timeout,
    ]);
  } finally {
    if (timer !== undefined) clearTimeout(timer);
  }
}
