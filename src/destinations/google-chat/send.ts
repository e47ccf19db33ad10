/**
 * Delivers one event to a Google Chat incoming webhook. Chat answers 200 with
 * the created message; errors carry a JSON `error` object that http.ts quotes
 * (e.g. `"status": "INVALID_ARGUMENT"`).
 */
import { sendChat } from "../chat/send.ts";
import type { SendContext, SendOutcome } from "../contract.ts";
import type { GoogleChatDestinationConfig } from "./config.ts";
import { formatGoogleChat } from "./format.ts";

/**
 * @example
 * await sendGoogleChat({ type: "google-chat", webhook_url_secret: "GCHAT_URL", include_contact: false }, ctx)
 * // → { ok: true, status: 200 }
 */
export function sendGoogleChat(dest: GoogleChatDestinationConfig, ctx: SendContext): Promise<SendOutcome> {
  return sendChat(dest, ctx, formatGoogleChat);
}
