/**
 * Delivers one event to a Slack incoming webhook
 * (https://docs.slack.dev/messaging/sending-messages-using-incoming-webhooks):
 * Slack answers 200 `ok`, or an error status with a short code in the body
 * (`invalid_payload`, `channel_not_found`, `no_service`…), which http.ts quotes
 * in the failure reason and classifies with the shared retry table.
 *
 * Trade-off: the webhook URL is a secret (anyone holding it can post to the
 * channel), so config names the secret, never the URL, and no reason or log
 * line carries it; a missing secret fails for good, since retrying cannot set it.
 */
import { pickTemplate } from "../../format/template.ts";
import type { SendContext, SendOutcome } from "../contract.ts";
import { postJson } from "../http.ts";
import type { SlackDestinationConfig } from "./config.ts";
import { formatSlack } from "./format.ts";

/**
 * Formats the event (in the template that applies to this delivery, if any)
 * and POSTs it to the webhook URL read from the secret the destination names.
 *
 * @example
 * await sendSlack({ type: "slack", webhook_url_secret: "SLACK_OPS_URL", include_contact: false }, ctx)
 * // → { ok: true, status: 200 }
 * // → { ok: false, retryable: false, reason: 'webhook URL secret "SLACK_OPS_URL" is not set' }
 */
export async function sendSlack(dest: SlackDestinationConfig, ctx: SendContext): Promise<SendOutcome> {
  const url = ctx.secret(dest.webhook_url_secret);
  if (!url)
    return { ok: false, retryable: false, reason: `webhook URL secret "${dest.webhook_url_secret}" is not set` };
  const payload = formatSlack(ctx.event, dest, { template: pickTemplate(ctx.config, ctx.destination, ctx.rules) });
  return postJson(url, JSON.stringify(payload), { timeoutMs: ctx.timeoutMs });
}
