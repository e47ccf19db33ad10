/**
 * Discord destination config: a channel webhook
 * (https://discord.com/developers/docs/resources/webhook#execute-webhook)
 * whose URL lives in the Worker secret named by `webhook_url_secret`.
 */
import { type ChatDestinationConfig, chatSchema } from "../chat-family/config.ts";

export type DiscordDestinationConfig = ChatDestinationConfig<"discord">;

export const discordSchema = chatSchema("discord");
