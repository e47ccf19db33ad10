/**
 * The google-chat destination kind: the chat family's webhook kind (chat-family/webhook.ts)
 * with GoogleChat's own schema and payload (format.ts), and with
 * `per_session = "thread"` a thread per session (thread.ts): the render then
 * names the thread, so `routes explain --render` shows the body as sent.
 * Trade-off: nothing of its own beyond the payload and the thread, so it
 * cannot drift from the other chat kinds.
 */
import { chatKind } from "../chat-family/webhook.ts";
import { type DestinationKind, json } from "../contract.ts";
import { withTranscript } from "../transcript/fetch.ts";
import { type GoogleChatDestinationConfig, googleChatSchema } from "./config.ts";
import { formatGoogleChat } from "./format.ts";
import { deliverThreaded, threadKeyOf } from "./thread.ts";

const webhook = chatKind<"google-chat", GoogleChatDestinationConfig>("google-chat", googleChatSchema, formatGoogleChat);

export const googleChatKind: DestinationKind<GoogleChatDestinationConfig> = {
  ...webhook,
  render(dest, ctx) {
    const rendered = webhook.render(dest, ctx);
    const threadKey = dest.per_session === "thread" ? threadKeyOf(ctx.event) : undefined;
    if (threadKey === undefined) return rendered;
    return json({ ...(JSON.parse(rendered.body) as object), thread: { threadKey } });
  },
  async deliver(dest, ctx) {
    if (dest.per_session !== "thread") return webhook.deliver(dest, ctx);
    const url = ctx.secret(dest.webhook_url_secret);
    if (!url)
      return { ok: false, retryable: false, reason: `webhook URL secret "${dest.webhook_url_secret}" is not set` };
    return deliverThreaded(url, googleChatKind.render(dest, await withTranscript(dest, ctx)).body, ctx);
  },
};
