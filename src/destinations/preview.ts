/**
 * What a destination would receive for an event, without sending it: the
 * request body behind `npm run routes -- explain --render`.
 *
 * One function for every kind, an exhaustive switch like registry.ts, so a new
 * kind does not compile until its preview is wired. Each case must build the
 * body exactly as that kind's sender does. Trade-off: the body is built twice
 * in code (here and in the sender) rather than the sender calling this, so a
 * sender change needs the same change here; the unit test compares the two.
 */
import { pickTemplate } from "../format/template.ts";
import type { DestinationConfig } from "./config.ts";
import type { SendContext } from "./contract.ts";
import { formatDiscord } from "./discord/format.ts";
import { formatEmail } from "./email/format.ts";
import { formatGoogleChat } from "./google-chat/format.ts";
import { formatSlack } from "./slack/format.ts";
import { formatTeams } from "./teams/format.ts";
import { webhookBody } from "./webhook/format.ts";

/** What a preview needs: a send context without the secrets, bindings or timeout. */
export type PreviewContext = Pick<SendContext, "event" | "raw" | "destination" | "rules" | "config">;

export interface Preview {
  /** The request's `content-type`. */
  readonly contentType: string;
  /** The request body, as it would be sent. */
  readonly body: string;
}

/**
 * @example
 * preview({ type: "slack", webhook_url_secret: "SLACK_OPS_URL", include_contact: false }, ctx)
 * // → { contentType: "application/json", body: '{"text":"Session closed (userCancel): …","blocks":[…]}' }
 */
export function preview(dest: DestinationConfig, ctx: PreviewContext): Preview {
  switch (dest.type) {
    case "slack":
      return json(formatSlack(ctx.event, dest, { template: templateOf(ctx) }));
    case "email":
      // The message's parts as the sender builds them; the MIME framing (or Resend's JSON) is not shown.
      return json({ from: dest.from, to: dest.to, ...formatEmail(ctx.event, dest, { template: templateOf(ctx) }) });
    case "webhook": {
      // The envelope's deliveredAt is the preview's time; the signature header is not shown.
      const body = webhookBody(dest, { raw: ctx.raw, destination: ctx.destination, rules: ctx.rules, now: new Date() });
      return { contentType: "application/json", body };
    }
    case "discord":
      return json(formatDiscord(ctx.event, dest, templateOf(ctx)));
    case "teams":
      return json(formatTeams(ctx.event, dest, templateOf(ctx)));
    case "google-chat":
      return json(formatGoogleChat(ctx.event, dest, templateOf(ctx)));
    default: {
      // A compile error here means a new destination kind has no preview yet.
      const unwired: never = dest;
      const type = String((unwired as { type?: unknown }).type);
      return { contentType: "text/plain", body: `(no preview for destination type "${type}")` };
    }
  }
}

/** The template the chat senders pick (src/destinations/chat/send.ts). */
function templateOf(ctx: PreviewContext) {
  return pickTemplate(ctx.config, ctx.destination, ctx.rules);
}

function json(payload: unknown): Preview {
  return { contentType: "application/json", body: JSON.stringify(payload) };
}
