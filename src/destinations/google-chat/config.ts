/**
 * Google Chat destination config: a space's incoming webhook
 * (https://developers.google.com/workspace/chat/quickstart/webhooks), whose
 * URL (with its key and token) lives in the Worker secret named by
 * `webhook_url_secret`, and `per_session = "thread"` to post a session's
 * events in one thread (a webhook can thread by key; it cannot edit).
 */
import * as v from "valibot";
import { type ChatDestinationConfig, chatSchema } from "../chat-family/config.ts";

export interface GoogleChatDestinationConfig extends ChatDestinationConfig<"google-chat"> {
  /** "thread": one thread per session; "off" (the default): each event on its own. */
  readonly per_session?: "thread" | "off";
}

export const googleChatSchema = v.strictObject({
  ...chatSchema("google-chat").entries,
  per_session: v.optional(
    v.picklist(
      ["thread", "off"],
      'must be "thread" or "off" (a Google Chat webhook threads by key; it cannot edit its message)',
    ),
  ),
});
