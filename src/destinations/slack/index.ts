/**
 * The Slack destination kind: an incoming webhook, sent through the chat
 * family's webhook kind (chat-family/webhook.ts) with Slack's Block Kit
 * payload (format.ts). Slack answers 200 `ok`, or 4xx/5xx with a short
 * plain-text code (`invalid_payload`, `channel_not_found`, `no_service`…),
 * which http.ts quotes. Trade-off: the formatter takes an options object
 * (`{ template }`) rather than the chat formatters' bare template; the
 * adapter below is the only difference.
 */
import { chatKind } from "../chat-family/webhook.ts";
import { type SlackDestinationConfig, slackSchema } from "./config.ts";
import { formatSlack } from "./format.ts";

export const slackKind = chatKind<"slack", SlackDestinationConfig>(
  "slack",
  slackSchema,
  (event, dest, template, speech) => formatSlack(event, dest, { template, speech }),
);
