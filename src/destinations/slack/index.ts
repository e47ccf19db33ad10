/**
 * The Slack destination kind, in one of two modes:
 * - an incoming webhook (`webhook_url_secret`), sent through the chat
 *   family's webhook kind (chat-family/webhook.ts) with Slack's Block Kit
 *   payload (format.ts). Slack answers 200 `ok`, or 4xx/5xx with a short
 *   plain-text code (`invalid_payload`, `channel_not_found`, `no_service`…),
 *   which http.ts quotes;
 * - a Slack app (`bot_token_secret`, `channel`, `per_session`), through the
 *   Web API (app.ts), which can edit a session's message or thread it.
 * Trade-off: the webhook mode is the chat family's kind untouched, so its
 * requests stay byte for byte what they were; app mode only adds beside it.
 */
import { chatKind } from "../chat-family/webhook.ts";
import type { DestinationKind } from "../contract.ts";
import { appSends, deliverApp, renderApp } from "./app.ts";
import { type SlackDestinationConfig, slackProblems, slackSchema } from "./config.ts";
import { formatSlack } from "./format.ts";

type SlackWebhookConfig = SlackDestinationConfig & { readonly webhook_url_secret: string };

const webhook = chatKind<"slack", SlackWebhookConfig>("slack", slackSchema, (event, dest, template, speech) =>
  formatSlack(event, dest, { template, speech }),
);

const isApp = (dest: SlackDestinationConfig) => dest.bot_token_secret !== undefined;

export const slackKind: DestinationKind<SlackDestinationConfig> = {
  type: "slack",
  schema: slackSchema,
  problems: slackProblems,
  secrets: webhook.secrets as DestinationKind<SlackDestinationConfig>["secrets"],
  sendsPerAttempt: (dest) => (isApp(dest) ? appSends(dest) : webhook.sendsPerAttempt(dest as SlackWebhookConfig)),
  render: (dest, ctx) => (isApp(dest) ? renderApp(dest, ctx) : webhook.render(dest as SlackWebhookConfig, ctx)),
  deliver: (dest, ctx) => (isApp(dest) ? deliverApp(dest, ctx) : webhook.deliver(dest as SlackWebhookConfig, ctx)),
};
