/**
 * Discord destination config: a channel webhook
 * (https://discord.com/developers/docs/resources/webhook#execute-webhook)
 * whose URL lives in the Worker secret named by `webhook_url_secret`, and
 * `per_session = "update"` to edit one message per session (Discord webhooks
 * can edit their own messages; they cannot thread in a text channel).
 */
import * as v from "valibot";
import { type ChatDestinationConfig, chatSchema } from "../chat-family/config.ts";

export interface DiscordDestinationConfig extends ChatDestinationConfig<"discord"> {
  /** "update": one message per session, edited as it changes; "off" (the default): one per event. */
  readonly per_session?: "update" | "off";
}

export const discordSchema = v.strictObject({
  ...chatSchema("discord").entries,
  per_session: v.optional(
    v.picklist(["update", "off"], 'must be "update" or "off" (a Discord webhook edits its message; it cannot thread)'),
  ),
});
