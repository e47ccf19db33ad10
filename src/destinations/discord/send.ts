/**
 * Delivers one event to a Discord webhook. Discord answers 204 (or 200 with
 * `?wait=true`); errors carry a JSON body (`{"code":50035,"message":"Invalid Form Body"}`)
 * that http.ts quotes, and a 429 carries `retry_after`, which http.ts honours.
 */

import { sendChat } from "../chat/send.ts";
import type { SendContext, SendOutcome } from "../contract.ts";
import type { DiscordDestinationConfig } from "./config.ts";
import { formatDiscord } from "./format.ts";

/**
 * @example
 * await sendDiscord({ type: "discord", webhook_url_secret: "DISCORD_URL", include_contact: false }, ctx)
 * // → { ok: true, status: 204 }
 */
export function sendDiscord(dest: DiscordDestinationConfig, ctx: SendContext): Promise<SendOutcome> {
  return sendChat(dest, ctx, formatDiscord);
}
