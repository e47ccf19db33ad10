/**
 * Slack destination config: an incoming webhook whose URL lives in a Worker
 * secret, named here so the URL never sits in `wrangler.toml`.
 *
 * The schema holds only Slack's own fields; fields every kind shares
 * (`template`) are added by `src/destinations/config.ts`, so kind modules never
 * import the registry and the two cannot form an import cycle. The cost: this
 * schema alone rejects `template`; validate through `destinationSchema`.
 */
import * as v from "valibot";
import type { Template } from "../../routing/types.ts";

export interface SlackDestinationConfig {
  readonly type: "slack";
  /** Name of the Worker secret (or var) holding the `https://hooks.slack.com/…` URL. */
  readonly webhook_url_secret: string;
  /** Show the customer's name, email and phone in the message; off by default (personal data). */
  readonly include_contact: boolean;
  readonly template?: Template;
  /** Link to the session in Gitple's console, shown on the message. */
  readonly session_url?: string;
}

/** Slack's own fields; every field ending in `_secret` names a Worker secret. */
export const slackSchema = v.strictObject({
  type: v.literal("slack"),
  webhook_url_secret: v.string(),
  include_contact: v.optional(v.boolean(), false),
  session_url: v.optional(v.string()),
});
