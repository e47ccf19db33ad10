/**
 * The email a destination gets for an event, as parts: what the kind's
 * `render` shows and what its sender (send.ts) frames as MIME or posts to
 * Resend, so the preview and the mail cannot differ. Trade-off: the preview
 * shows these parts as JSON, not the MIME framing, which needs the id and
 * the date of the attempt.
 */
import { speechOf } from "../../format/speech.ts";
import { truncate } from "../../lib/truncate.ts";
import { templateFor } from "../chat-family/webhook.ts";
import type { RenderContext, Rendered } from "../contract.ts";
import type { EmailDestinationConfig } from "./config.ts";
import { headerText } from "./encoding.ts";
import { type EmailContent, formatEmail } from "./format.ts";

/**
 * The message's parts and its own headers (payload text, single-line, not yet encoded).
 *
 * @example
 * emailMessage(dest, ctx) // → { content: { subject, text, html }, headers: { "Auto-Submitted": "auto-generated", … } }
 */
export function emailMessage(
  dest: EmailDestinationConfig,
  ctx: RenderContext,
): { content: EmailContent; headers: Record<string, string> } {
  return {
    content: formatEmail(ctx.event, dest, { template: templateFor(ctx), speech: speechOf(ctx, dest) }),
    headers: {
      "Auto-Submitted": "auto-generated",
      "X-Gitple-Event-Type": truncate(headerText(ctx.event.type), 100),
      "X-Gitple-Trigger-Id": truncate(headerText(ctx.event.triggerId), 200),
    },
  };
}

/** The rendered email: its parts as JSON (`from`, `to`, `subject`, `text`, `html`) and its headers. */
export function renderEmail(dest: EmailDestinationConfig, ctx: RenderContext): Rendered {
  const { content, headers } = emailMessage(dest, ctx);
  return {
    contentType: "application/json",
    headers,
    body: JSON.stringify({ from: dest.from, to: dest.to, ...content }),
  };
}
