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
 * An operator's template (src/format/template.ts) replaces the parts it sets:
 * its `title` becomes the header (plain text, so values need no escaping),
 * its `text` one mrkdwn section instead of the fields (values escaped with
 * `escapeMrkdwn`, the operator's own markup kept). The footer with the
 * triggerId and every limit stay. `session_url` is a link template shown as
 * the "Open in Gitple" button.
 *
 * Trade-off: `verbatim` also stops URLs in a customer's message from becoming
 * links; a pasted link stays plain text (safer against look-alike links, but
 * one more click for the agent).
 */

import type { Template } from "../../config/shared.ts";
import type { EventView } from "../../event/view.ts";
import { eventFields, eventFooter, eventTitle, type Field } from "../../format/describe.ts";
import type { Speech } from "../../format/speech.ts";
import { renderParts } from "../../format/template.ts";
import { formatWaited } from "../../format/waited.ts";
import type { SlackDestinationConfig } from "./config.ts";
import { escapeMrkdwn, escapeTruncate, truncate, truncateEscaped } from "./escape.ts";
import { type TranscriptBlock, transcriptBlocks } from "./transcript.ts";

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
  | TranscriptBlock
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
 * Builds the Slack message for one event, in the operator's template when one
 * applies (pass `pickTemplate`'s answer). Never throws, whatever the payload.
 * `opts.sessionUrl` overrides the destination's `session_url` (a link
 * template either way).
 *
 * @example
 * formatSlack(view, { type: "slack", webhook_url_secret: "SLACK_URL", include_contact: false })
 * // → { text: "Session closed (userCancel): 환불 문의…",
 * //     blocks: [{ type: "header", … "Session closed (userCancel)" }, { type: "section", fields: […] },
 * //              { type: "section", text: "*Note*\n…" }, { type: "context", … "Gitple · session_state_close · trigger t1 · shop" }] }
 * formatSlack(view, dest, { template: { title: "VIP: {{to.name}}", text: "*Note*\n{{session.note}}" } })
 * // → { text: "VIP: 김민지: *Note* …", blocks: [header "VIP: 김민지", section "*Note*\n…", context footer] }
 */
export function formatSlack(
  event: EventView,
  dest: SlackDestinationConfig,
  opts: { sessionUrl?: string; template?: Template; speech?: Speech } = {},
): SlackPayload {
  const speech = opts.speech ?? {};
  const target = { ...dest, session_url: opts.sessionUrl ?? dest.session_url };
  const parts = renderParts(event, target, opts.template, { text: escapeMrkdwn }, speech.names);
  const title = parts.title ?? eventTitle(event, speech);
  const blocks: SlackBlock[] = [{ type: "header", text: plain(truncate(title, SLACK_LIMITS.headerText)) }];
  const body = parts.text === undefined ? builtInBody(event, dest, speech) : templateBody(parts.text);
  blocks.push(...body.blocks);
  // A digest links its longest waits (verbatim mrkdwn shows a URL as text): one button each.
  const buttons = (event.digest?.longest ?? [{ seconds: 0, session: "", link: parts.link }]).flatMap((l) =>
    l.link && l.link.length <= SLACK_LIMITS.buttonUrl
      ? [
          {
            type: "button" as const,
            text: plain(truncate(event.digest ? `${formatWaited(l.seconds)} · ${l.session}` : "Open in Gitple", 75)),
            url: l.link,
          },
        ]
      : [],
  );
  // The transcript takes what room is left of the 50 blocks, after the buttons and the footer.
  blocks.push(...transcriptBlocks(speech, SLACK_LIMITS.blocks - blocks.length - (buttons.length > 0 ? 1 : 0) - 1));
  if (buttons.length > 0) blocks.push({ type: "actions", elements: buttons });
  const footer = eventFooter(event, speech.names);
  blocks.push({ type: "context", elements: [mrkdwn(escapeTruncate(footer, SLACK_LIMITS.sectionText))] });
  // The fields list is fixed, so this never triggers today; it keeps the limit true if fields grow.
  if (blocks.length > SLACK_LIMITS.blocks) blocks.splice(SLACK_LIMITS.blocks - 1, blocks.length - SLACK_LIMITS.blocks);

  const head = escapeMrkdwn(title);
  const preview = body.preview ? `${head}: ${body.preview.replace(/\s+/g, " ")}` : head;
  return { text: truncateEscaped(preview, SLACK_LIMITS.text), blocks };
}

/** The body's blocks, and the escaped mrkdwn that previews it in the notification (or ""). */
interface Body {
  readonly blocks: readonly SlackBlock[];
  readonly preview: string;
}

/** The built-in body: short fields in sections of ten, then each long field (note, message) in its own section. */
function builtInBody(event: EventView, dest: SlackDestinationConfig, speech: Speech): Body {
  const fields = eventFields(event, { includeContact: dest.include_contact === true, ...speech });
  const short = fields.filter((f) => !f.long);
  const long = fields.filter((f) => f.long);
  const blocks: SlackBlock[] = [];
  for (let i = 0; i < short.length; i += SLACK_LIMITS.fields) {
    const chunk = short.slice(i, i + SLACK_LIMITS.fields);
    blocks.push({ type: "section", fields: chunk.map((f) => labelled(f, SLACK_LIMITS.fieldText)) });
  }
  for (const f of long) blocks.push(...longSections(f));
  // Escaping and cutting the first long value to the fallback's limit is enough for the preview.
  const first = long[0]?.value ?? "";
  return { blocks, preview: escapeTruncate(first.slice(0, SLACK_LIMITS.text + 1), SLACK_LIMITS.text + 1) };
}

/**
 * A long field (note, message, a quiet-hours digest's list) in sections of at most 3000 characters,
 * cut at line ends, so a digest's 50 lines and its count of the rest all show; a line longer than
 * a section is cut.
 */
function longSections(f: Field): SlackBlock[] {
  const label = `*${escapeMrkdwn(f.label)}*`;
  const texts = [label];
  for (const line of f.value.split("\n")) {
    const last = texts.length - 1;
    const head = texts[last] ?? "";
    // The label's own section takes the first line even when it has to be cut.
    const room = head === label ? SLACK_LIMITS.sectionText - head.length - 1 : SLACK_LIMITS.sectionText;
    const text = escapeTruncate(line, room);
    if (head.length + 1 + text.length <= SLACK_LIMITS.sectionText) texts[last] = `${head}\n${text}`;
    else if (text !== "") texts.push(text);
  }
  return texts.map((text) => ({ type: "section", text: mrkdwn(text) }));
}

/** The operator's text (values already escaped) as one section; none when it rendered empty. */
function templateBody(text: string): Body {
  if (text === "") return { blocks: [], preview: "" };
  return {
    blocks: [{ type: "section", text: mrkdwn(truncateEscaped(text, SLACK_LIMITS.sectionText)) }],
    preview: text,
  };
}

/** `*Label*\nvalue`, the value escaped and cut so the whole text fits `max`. */
function labelled(f: Field, max: number): MrkdwnText {
  const prefix = `*${escapeMrkdwn(f.label)}*\n`;
  return mrkdwn(prefix + escapeTruncate(f.value, max - prefix.length));
}

/** "Open in Gitple", for the rendered link (already checked to be http(s)) if Slack accepts its length (≤ 3000). */
function plain(text: string): PlainText {
  return { type: "plain_text", text };
}

function mrkdwn(text: string): MrkdwnText {
  return { type: "mrkdwn", text, verbatim: true };
}
