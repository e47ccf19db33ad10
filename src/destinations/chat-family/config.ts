/**
 * The config every chat kind (Discord, Teams, Google Chat) shares: an
 * incoming-webhook URL held in a Worker secret, like Slack's, plus whether to
 * show contact details and an optional session link.
 *
 * Like slack/config.ts, the schema is the kind's whole table, `template`
 * included. Trade-off: one
 * generic schema instead of three copies, so the kinds cannot drift apart,
 * at the price of a type parameter in each kind's config type.
 */
import * as v from "valibot";
import { type Template, templateSchema, transcriptSchema } from "../../config/shared.ts";

export interface ChatDestinationConfig<T extends string> {
  readonly type: T;
  /** Name of the Worker secret (or var) holding the webhook URL. */
  readonly webhook_url_secret: string;
  /** Show the customer's email and phone; off by default (personal data). */
  readonly include_contact: boolean;
  readonly template?: Template;
  /** Link to the session in Gitple's console (placeholders allowed, values URL-encoded), shown as a button or link. */
  readonly session_url?: string;
  /** On a session close, the last N messages of the conversation (1 .. 200); absent or 0: none. */
  readonly transcript?: number;
}

/**
 * A chat kind's fields; every field ending in `_secret` names a Worker secret.
 *
 * @example
 * export const discordSchema = chatSchema("discord");
 */
export function chatSchema<T extends string>(type: T) {
  return v.strictObject({
    type: v.literal(type),
    webhook_url_secret: v.string(),
    include_contact: v.optional(v.boolean(), false),
    session_url: v.optional(v.string()),
    template: v.optional(templateSchema),
    transcript: v.optional(transcriptSchema),
  });
}
