/**
 * Slack destination config: an incoming webhook whose URL lives in a Worker
 * secret (`webhook_url_secret`), or a Slack app whose bot token does
 * (`bot_token_secret`, with the `channel` it posts to and `per_session`:
 * "update" edits one message per session, "thread" replies in its thread).
 * Either way the secret's NAME is here, never its value.
 *
 * The schema is the kind's whole table, `template` included (from the
 * config layer's shared pieces, src/config/shared.ts, which import nothing
 * of ours, so no cycle). The rules between fields (exactly one of the two
 * secrets, `channel` with the token, `per_session` only with it) are
 * `slackProblems`, run on the raw table so they are reported with their
 * paths alongside schema errors. Trade-off: `per_session` and `api_url` get
 * no schema default, so a webhook destination validates to exactly what it
 * did before app mode existed; the code reads them through `perSessionOf`
 * and `apiUrlOf`.
 */
import * as v from "valibot";
import type { Template } from "../../config/shared.ts";
import { templateSchema, transcriptSchema } from "../../config/shared.ts";

/** How a destination follows a session: a new message per event, one message edited, or one thread. */
export type PerSession = "update" | "thread" | "off";

export interface SlackDestinationConfig {
  readonly type: "slack";
  /** Name of the Worker secret (or var) holding the `https://hooks.slack.com/…` URL (webhook mode). */
  readonly webhook_url_secret?: string;
  /** Name of the Worker secret holding the app's `xoxb-` bot token (app mode, instead of the webhook). */
  readonly bot_token_secret?: string;
  /** The channel id the app posts to (app mode). */
  readonly channel?: string;
  /** App mode only; "off" (the default) posts a new message per event. */
  readonly per_session?: PerSession;
  /** The Web API's base URL; https://slack.com/api by default (a local stand-in in development and tests). */
  readonly api_url?: string;
  /** Show the customer's name, email and phone in the message; off by default (personal data). */
  readonly include_contact: boolean;
  readonly template?: Template;
  /** Link to the session in Gitple's console, shown on the message. */
  readonly session_url?: string;
  /** On a session close, the last N messages of the conversation (1 .. 200); absent or 0: none. */
  readonly transcript?: number;
}

/** The Slack Web API's base URL when `api_url` is not set. */
export const SLACK_API_URL = "https://slack.com/api";

const PER_SESSION = 'must be "update", "thread" or "off"';
const HTTP_URL = "must be an http(s) URL";

/** Slack's fields; every field ending in `_secret` names a Worker secret. */
export const slackSchema = v.strictObject({
  type: v.literal("slack"),
  webhook_url_secret: v.optional(v.string()),
  bot_token_secret: v.optional(v.string()),
  channel: v.optional(
    v.pipe(
      v.string(),
      v.check((c) => /^[A-Z0-9]{2,}$/.test(c), "must be a channel id such as C0123ABCD (not a #name)"),
    ),
  ),
  per_session: v.optional(v.picklist(["update", "thread", "off"], PER_SESSION)),
  api_url: v.optional(v.pipe(v.string(), v.check(isHttpUrl, HTTP_URL))),
  include_contact: v.optional(v.boolean(), false),
  session_url: v.optional(v.string()),
  template: v.optional(templateSchema),
  transcript: v.optional(transcriptSchema),
});

/**
 * The rules between Slack's fields, as `<at>.<field>: message`.
 *
 * @example
 * slackProblems("destinations.x", { type: "slack", bot_token_secret: "T" })
 * // → ["destinations.x.channel: is required with bot_token_secret (the channel id the app posts to)"]
 */
export function slackProblems(at: string, raw: Readonly<Record<string, unknown>>): string[] {
  const hook = raw.webhook_url_secret !== undefined;
  const app = raw.bot_token_secret !== undefined;
  const problems: string[] = [];
  if (!hook && !app) problems.push(`${at}.webhook_url_secret: is required`);
  if (hook && app)
    problems.push(
      `${at}.bot_token_secret: a Slack destination has exactly one of webhook_url_secret or bot_token_secret`,
    );
  if (app && raw.channel === undefined)
    problems.push(`${at}.channel: is required with bot_token_secret (the channel id the app posts to)`);
  if (!app && raw.channel !== undefined)
    problems.push(`${at}.channel: only with bot_token_secret (an incoming webhook posts to its own channel)`);
  if (!app && raw.api_url !== undefined) problems.push(`${at}.api_url: only with bot_token_secret`);
  const mode = raw.per_session;
  if (!app && (mode === "update" || mode === "thread"))
    problems.push(
      `${at}.per_session: "${mode}" needs bot_token_secret (an incoming webhook cannot edit or thread its messages)`,
    );
  return problems;
}

/** The destination's per-session mode, "off" when unset. */
export function perSessionOf(dest: { readonly per_session?: PerSession }): PerSession {
  return dest.per_session ?? "off";
}

/** The Web API base URL, without a trailing slash. */
export function apiUrlOf(dest: SlackDestinationConfig): string {
  return (dest.api_url ?? SLACK_API_URL).replace(/\/+$/, "");
}

function isHttpUrl(url: string): boolean {
  return URL.canParse(url) && /^https?:$/.test(new URL(url).protocol);
}
