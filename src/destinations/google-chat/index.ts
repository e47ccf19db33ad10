/**
 * The google-chat destination kind: the chat family's webhook kind (chat-family/webhook.ts)
 * with GoogleChat's own schema and payload (format.ts). Trade-off: nothing of its
 * own beyond the payload, so it cannot drift from the other chat kinds.
 */
import { chatKind } from "../chat-family/webhook.ts";
import { type GoogleChatDestinationConfig, googleChatSchema } from "./config.ts";
import { formatGoogleChat } from "./format.ts";

export const googleChatKind = chatKind<"google-chat", GoogleChatDestinationConfig>(
  "google-chat",
  googleChatSchema,
  formatGoogleChat,
);
