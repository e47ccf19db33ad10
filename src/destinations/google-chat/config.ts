/**
 * Google Chat destination config: a space's incoming webhook
 * (https://developers.google.com/workspace/chat/quickstart/webhooks), whose
 * URL (with its key and token) lives in the Worker secret named by
 * `webhook_url_secret`.
 */
import { type ChatDestinationConfig, chatSchema } from "../chat-family/config.ts";

export type GoogleChatDestinationConfig = ChatDestinationConfig<"google-chat">;

export const googleChatSchema = chatSchema("google-chat");
