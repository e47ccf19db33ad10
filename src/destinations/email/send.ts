/**
 * Delivers one event by email: the parts from message.ts, handed to the
 * destination's provider, the Cloudflare `send_email` binding or Resend's
 * HTTP API.
 *
 * Both providers see the same stable id per (event, destination): the
 * binding's Message-ID and Resend's `Idempotency-Key` are derived from it, so
 * a retry after a timeout is recognisable as the same mail (Resend then
 * answers without sending twice, for 24 hours).
 */
import { sha256Hex } from "../../lib/sha256.ts";
import type { SendContext, SendOutcome } from "../contract.ts";
import { withTranscript } from "../transcript/fetch.ts";
import { parseMailbox } from "./address.ts";
import { sendViaBinding } from "./cloudflare.ts";
import type { EmailDestinationConfig } from "./config.ts";
import { emailMessage } from "./message.ts";
import { type OutgoingEmail, sendViaResend } from "./resend.ts";

/**
 * @example
 * await sendEmail({ type: "email", provider: "cloudflare", from: "relay@example.com", to: ["ops@example.com"], … }, ctx)
 * // → { ok: true, status: 202 }
 * // → { ok: false, retryable: false, reason: "send_email to recipient 1 of 1 failed: E_RECIPIENT_NOT_ALLOWED: …" }
 */
export async function sendEmail(dest: EmailDestinationConfig, ctx: SendContext): Promise<SendOutcome> {
  const from = parseMailbox(dest.from);
  // Unreachable after validation; a clear failure beats a crash if it ever is.
  if (!from) return { ok: false, retryable: false, reason: "invalid sender address" };
  const { content, headers } = emailMessage(dest, await withTranscript(dest, ctx));
  const email: OutgoingEmail = { ...content, from, to: dest.to, id: await deliveryHash(ctx), headers };
  return dest.provider === "resend" ? sendViaResend(dest, ctx, email) : sendViaBinding(dest, ctx, email);
}

/**
 * 32 hex digits of SHA-256 over (appCode, triggerId, destination): the same
 * for every attempt of one delivery, different for every other.
 */
async function deliveryHash(ctx: SendContext): Promise<string> {
  const text = `${ctx.event.appCode ?? ""}\n${ctx.event.triggerId}\n${ctx.destination}`;
  return (await sha256Hex(text)).slice(0, 32);
}
