/**
 * Slack destination config: an incoming webhook whose URL lives in a Worker
 * secret, named here so the URL never sits in `wrangler.toml`.
 *
 * The schema is the kind's whole table, `template` included (from the
 * config layer's shared pieces, src/config/shared.ts, which import nothing
 * of ours, so no cycle). Trade-off: each kind lists `template` itself rather
 * than a registry adding it, so a kind that takes none (the webhook) says so.
 */
import * as v from "valibot";
import type { Template } from "../../config/shared.ts";
import { templateSchema, transcriptSchema } from "../../config/shared.ts";

export interface SlackDestinationConfig {
  readonly type: "slack";
  /** Name of the Worker secret (or var) holding the `https://hooks.slack.com/…` URL. */
  readonly webhook_url_secret: string;
  /** Show the customer's name, email and phone in the message; off by default (personal data). */
  readonly include_contact: boolean;
  readonly template?: Template;
  /** Link to the session in Gitple's console, shown on the message. */
  readonly session_url?: string;
  /** On a session close, the last N messages of the conversation (1 .. 200); absent or 0: none. */
  readonly transcript?: number;
}

/** Slack's fields; every field ending in `_secret` names a Worker secret. */
export const slackSchema = v.strictObject({
  type: v.literal("slack"),
  webhook_url_secret: v.string(),
  include_contact: v.optional(v.boolean(), false),
  session_url: v.optional(v.string()),
  template: v.optional(templateSchema),
  transcript: v.optional(transcriptSchema),
});
