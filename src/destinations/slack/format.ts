/**
 * Renders an event as a Slack Block Kit message with a plain `text` fallback
 * (the fallback is what notifications and screen readers show).
 *
 * Every string from the payload is escaped (see escape.ts) and every mrkdwn
 * object is `verbatim`, so Slack does not auto-link or parse mentions in it
 * either (https://docs.slack.dev/reference/block-kit/composition-objects/text-object).
 * Every text is cut to Slack's limits (https://docs.slack.dev/reference/block-kit/blocks),
 * so the formatter cannot produce a message Slack rejects with `invalid_blocks`:
 * a cut message is better than none, and a rejected one is never retried.
 *
 * Trade-off: `verbatim` also stops URLs in a customer's message from becoming
 * links; a pasted link stays plain text (safer against look-alike links, but
 * one more click for the agent).
 */
import type { EventView } from "../../event/view.ts";
import { eventFields, eventTitle, type Field } from "../../format/describe.ts";
import type { SlackDestinationConfig } from "./config.ts";
import { escapeMrkdwn, escapeTruncate, truncate } from "./escape.ts";

export interface PlainText {
  readonly type: "plain_text";
  readonly text: string;
}

export interface MrkdwnText {
  readonly type: "mrkdwn";
  readonly text: string;
  readonly verbatim: true;
}

export interface SlackButton {
  readonly type: "button";
  readonly text: PlainText;
  readonly url: string;
}

export type SlackBlock =
  | { readonly type: "header"; readonly text: PlainText }
  | { readonly type: "section"; readonly text: MrkdwnText }
  | { readonly type: "section"; readonly fields: readonly MrkdwnText[] }
  | { readonly type: "actions"; readonly elements: readonly SlackButton[] }
  | { readonly type: "context"; readonly elements: readonly MrkdwnText[] };

/** The body of an incoming-webhook POST. */
export interface SlackPayload {
  readonly text: string;
  readonly blocks: readonly SlackBlock[];
}

/** Slack's Block Kit limits, counted here in UTF-16 code units (see escape.ts). */
export const SLACK_LIMITS = {
  /** Header block: plain_text, 150 characters. */
  headerText: 150,
  /** Section block `text`, and any mrkdwn text object (context elements). */
  sectionText: 3000,
  /** Section block: at most 10 `fields`… */
  fields: 10,
  /** …each at most 2000 characters. */
  fieldText: 2000,
  /** Blocks per message. */
  blocks: 50,
  /** Top-level `text` fallback. */
  text: 3000,
  /** Button `url`. */
  buttonUrl: 3000,
} as const;

/**
 * Builds the Slack message for one event. Never throws, whatever the payload.
 *
 * @example
 * formatSlack(view, { type: "slack", webhook_url_secret: "SLACK_URL", include_contact: false })
 * // → { text: "Session closed (userCancel): 환불 문의…",
 * //     blocks: [{ type: "header", … "Session closed (userCancel)" }, { type: "section", fields: […] },
 * //              { type: "section", text: "*Note*\n…" }, { type: "context", … "Gitple · session_state_close · trigger t1 · shop" }] }
 */
export function formatSlack(
  event: EventView,
  dest: SlackDestinationConfig,
  opts: { sessionUrl?: string } = {},
): SlackPayload {
  const title = eventTitle(event);
  const fields = eventFields(event, { includeContact: dest.include_contact === true });
  const short = fields.filter((f) => !f.long);
  const long = fields.filter((f) => f.long);

  const blocks: SlackBlock[] = [{ type: "header", text: plain(truncate(title, SLACK_LIMITS.headerText)) }];
  for (let i = 0; i < short.length; i += SLACK_LIMITS.fields) {
    const chunk = short.slice(i, i + SLACK_LIMITS.fields);
    blocks.push({ type: "section", fields: chunk.map((f) => labelled(f, SLACK_LIMITS.fieldText)) });
  }
  for (const f of long) blocks.push({ type: "section", text: labelled(f, SLACK_LIMITS.sectionText) });
  const button = openButton(opts.sessionUrl ?? dest.session_url);
  if (button) blocks.push({ type: "actions", elements: [button] });
  blocks.push({ type: "context", elements: [mrkdwn(escapeTruncate(footer(event), SLACK_LIMITS.sectionText))] });
  // The fields list is fixed, so this never triggers today; it keeps the limit true if fields grow.
  if (blocks.length > SLACK_LIMITS.blocks) blocks.splice(SLACK_LIMITS.blocks - 1, blocks.length - SLACK_LIMITS.blocks);

  const preview = long[0] ? `${title}: ${long[0].value.replace(/\s+/g, " ")}` : title;
  return { text: escapeTruncate(preview, SLACK_LIMITS.text), blocks };
}

/** `Gitple · <type> · trigger <triggerId> · <appCode>`: on-call finds the logs of a message by its triggerId. */
function footer(event: EventView): string {
  const parts = ["Gitple", event.type, `trigger ${event.triggerId}`];
  if (event.appCode) parts.push(event.appCode);
  return parts.map((p) => p.replace(/[\s\p{Cc}]+/gu, " ").trim()).join(" · ");
}

/** `*Label*\nvalue`, the value escaped and cut so the whole text fits `max`. */
function labelled(f: Field, max: number): MrkdwnText {
  const prefix = `*${escapeMrkdwn(f.label)}*\n`;
  return mrkdwn(prefix + escapeTruncate(f.value, max - prefix.length));
}

/** "Open in Gitple", only for an http(s) URL Slack accepts (≤ 3000 characters); otherwise none. */
function openButton(url: string | undefined): SlackButton | undefined {
  if (!url || url.length > SLACK_LIMITS.buttonUrl || !URL.canParse(url)) return undefined;
  const { protocol } = new URL(url);
  if (protocol !== "https:" && protocol !== "http:") return undefined;
  return { type: "button", text: plain("Open in Gitple"), url };
}

function plain(text: string): PlainText {
  return { type: "plain_text", text };
}

function mrkdwn(text: string): MrkdwnText {
  return { type: "mrkdwn", text, verbatim: true };
}
