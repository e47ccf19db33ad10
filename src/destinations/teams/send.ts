/**
 * Delivers one event to a Teams Power Automate workflow webhook. The workflow
 * answers 202 Accepted once it has the request; it posts the card afterwards,
 * so a card Teams later refuses shows up in the flow's run history, not here.
 */
import { sendChat } from "../chat/send.ts";
import type { SendContext, SendOutcome } from "../contract.ts";
import type { TeamsDestinationConfig } from "./config.ts";
import { formatTeams } from "./format.ts";

/**
 * @example
 * await sendTeams({ type: "teams", webhook_url_secret: "TEAMS_URL", include_contact: false }, ctx)
 * // → { ok: true, status: 202 }
 */
export function sendTeams(dest: TeamsDestinationConfig, ctx: SendContext): Promise<SendOutcome> {
  return sendChat(dest, ctx, formatTeams);
}
