/**
 * Picks the sender for a destination's kind. The switch is exhaustive over
 * `DestinationConfig["type"]`, so adding a kind to the config union does not
 * compile until it is wired here (a kind that validates but cannot send would
 * otherwise dead-letter every event routed to it).
 */
import type { DestinationConfig } from "./config.ts";
import type { SendContext, SendOutcome } from "./contract.ts";
import { sendDiscord } from "./discord/send.ts";
import { sendEmail } from "./email/send.ts";
import { sendGoogleChat } from "./google-chat/send.ts";
import { sendSlack } from "./slack/send.ts";
import { sendTeams } from "./teams/send.ts";
import { sendWebhook } from "./webhook/send.ts";

/**
 * Delivers one event to one destination, whatever its kind. Never throws.
 *
 * @example
 * await sendTo(config.destinations["ops"], ctx) // → { ok: true, status: 200 }
 */
export function sendTo(dest: DestinationConfig, ctx: SendContext): Promise<SendOutcome> {
  switch (dest.type) {
    case "slack":
      return sendSlack(dest, ctx);
    case "webhook":
      return sendWebhook(dest, ctx);
    case "discord":
      return sendDiscord(dest, ctx);
    case "teams":
      return sendTeams(dest, ctx);
    case "google-chat":
      return sendGoogleChat(dest, ctx);
    case "email":
      return sendEmail(dest, ctx);
    default: {
      // A compile error here means a new destination kind is not wired yet.
      const unwired: never = dest;
      const type = String((unwired as { type?: unknown }).type);
      return Promise.resolve({ ok: false, retryable: false, reason: `unknown destination type "${type}"` });
    }
  }
}
