/**
 * The Discord destination kind: the chat family's webhook kind
 * with Discord's own schema and payload (format.ts), and with
 * `per_session = "update"` one message per session, edited (edit.ts).
 * Trade-off: nothing of its own beyond the payload and the edit, so it
 * cannot drift from the other chat kinds.
 */
import { chatKind } from "../chat-family/webhook.ts";
import type { DestinationKind } from "../contract.ts";
import { withTranscript } from "../transcript/fetch.ts";
import { type DiscordDestinationConfig, discordSchema } from "./config.ts";
import { deliverEdited } from "./edit.ts";
import { formatDiscord } from "./format.ts";

const webhook = chatKind<"discord", DiscordDestinationConfig>("discord", discordSchema, formatDiscord);

export const discordKind: DestinationKind<DiscordDestinationConfig> = {
  ...webhook,
  // An edit needs the post and the edit; the transcript on a close is one more request.
  sendsPerAttempt: (dest) => (dest.per_session === "update" ? 2 : 1) + ((dest.transcript ?? 0) > 0 ? 1 : 0),
  async deliver(dest, ctx) {
    if (dest.per_session !== "update") return webhook.deliver(dest, ctx);
    const url = ctx.secret(dest.webhook_url_secret);
    if (!url)
      return { ok: false, retryable: false, reason: `webhook URL secret "${dest.webhook_url_secret}" is not set` };
    return deliverEdited(url, webhook.render(dest, await withTranscript(dest, ctx)).body, ctx);
  },
};
