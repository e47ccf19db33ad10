/**
 * The email destination kind: formats the event (template or built-in), then
 * hands it to the destination's provider, the Cloudflare `send_email`
 * binding or Resend's HTTP API.
 *
 * Both providers see the same stable id per (event, destination): the
 * binding's Message-ID and Resend's `Idempotency-Key` are derived from it, so
 * a retry after a timeout is recognisable as the same mail (Resend then
 * answers without sending twice, for 24 hours). Trade-off: `render` shows the
 * message's parts (from, to, subject, text, html) as JSON and its headers,
 * not the MIME framing or Resend's request, which `deliver` builds from the
 * very same parts.
 */
import { secretNamesOf } from "../../config/shared.ts";
import { truncate } from "../../lib/truncate.ts";
import { templateFor } from "../chat-family/webhook.ts";
import type { DestinationKind, RenderContext, Rendered, SendContext, SendOutcome } from "../contract.ts";
import { parseMailbox } from "./address.ts";
import { sendViaBinding } from "./cloudflare.ts";
import { type EmailDestinationConfig, emailProblems, emailSchema } from "./config.ts";
import { headerText } from "./encoding.ts";
import { type EmailContent, formatEmail } from "./format.ts";
import { type OutgoingEmail, sendViaResend } from "./resend.ts";

/** The message's parts and headers: what `render` shows and `deliver` sends. */
function message(
  dest: EmailDestinationConfig,
  ctx: RenderContext,
): { content: EmailContent; headers: Record<string, string> } {
  return {
    content: formatEmail(ctx.event, dest, { template: templateFor(ctx) }),
    headers: {
      "Auto-Submitted": "auto-generated",
      "X-Gitple-Event-Type": truncate(headerText(ctx.event.type), 100),
      "X-Gitple-Trigger-Id": truncate(headerText(ctx.event.triggerId), 200),
    },
  };
}

function render(dest: EmailDestinationConfig, ctx: RenderContext): Rendered {
  const { content, headers } = message(dest, ctx);
  return {
    contentType: "application/json",
    headers,
    body: JSON.stringify({ from: dest.from, to: dest.to, ...content }),
  };
}

/**
 * @example
 * await emailKind.deliver({ type: "email", provider: "cloudflare", from: "relay@example.com", to: ["ops@example.com"], … }, ctx)
 * // → { ok: true, status: 202 }
 * // → { ok: false, retryable: false, reason: "send_email to recipient 1 of 1 failed: E_RECIPIENT_NOT_ALLOWED: …" }
 */
async function deliver(dest: EmailDestinationConfig, ctx: SendContext): Promise<SendOutcome> {
  const from = parseMailbox(dest.from);
  // Unreachable after validation; a clear failure beats a crash if it ever is.
  if (!from) return { ok: false, retryable: false, reason: "invalid sender address" };
  const { content, headers } = message(dest, ctx);
  const email: OutgoingEmail = { ...content, from, to: dest.to, id: await deliveryHash(ctx), headers };
  return dest.provider === "resend" ? sendViaResend(dest, ctx, email) : sendViaBinding(dest, ctx, email);
}

/**
 * 32 hex digits of SHA-256 over (appCode, triggerId, destination): the same
 * for every attempt of one delivery, different for every other.
 */
async function deliveryHash(ctx: SendContext): Promise<string> {
  const text = `${ctx.event.appCode ?? ""}\n${ctx.event.triggerId}\n${ctx.destination}`;
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
  return Array.from(digest.subarray(0, 16), (b) => b.toString(16).padStart(2, "0")).join("");
}

export const emailKind: DestinationKind<EmailDestinationConfig> = {
  type: "email",
  schema: emailSchema,
  problems: emailProblems,
  bindings: (dest) =>
    dest.provider === "cloudflare" ? [{ field: "binding", type: "send_email", name: dest.binding }] : [],
  secrets: secretNamesOf,
  // One send per recipient through the binding (cloudflare.ts); Resend takes every recipient in one request.
  sendsPerAttempt: (dest) => (dest.provider === "cloudflare" ? Math.max(1, dest.to.length) : 1),
  render,
  deliver,
};
