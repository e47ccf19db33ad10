/**
 * The Discord destination kind: the chat family's webhook kind
 * with Discord's own schema and payload (format.ts). Trade-off: nothing of its
 * own beyond the payload, so it cannot drift from the other chat kinds.
 */
import { chatKind } from "../chat-family/webhook.ts";
import { type DiscordDestinationConfig, discordSchema } from "./config.ts";
import { formatDiscord } from "./format.ts";

export const discordKind = chatKind<"discord", DiscordDestinationConfig>("discord", discordSchema, formatDiscord);
