/**
 * Microsoft Teams destination config: a Power Automate workflow webhook (the
 * "Post to a channel when a webhook request is received" template), whose URL
 * lives in the Worker secret named by `webhook_url_secret`. Office 365
 * connectors (the old incoming webhooks) are retired; workflows take the same
 * Adaptive Card attachment.
 */
import { type ChatDestinationConfig, chatSchema } from "../chat-family/config.ts";

export type TeamsDestinationConfig = ChatDestinationConfig<"teams">;

export const teamsSchema = chatSchema("teams");
