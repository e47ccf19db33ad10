/**
 * Renders an event as the message a Teams workflow webhook posts: one
 * Adaptive Card 1.4 attachment
 * (https://learn.microsoft.com/connectors/teams/?tabs=text1#microsoft-teams-webhook):
 * a bold title, a FactSet of the short fields, a TextBlock per note or
 * message (or the template's text), a subtle triggerId footer, and an
 * "Open in Gitple" Action.OpenUrl when `session_url` gives a link.
 *
 * Teams refuses a message over about 28 KB
 * (https://learn.microsoft.com/microsoftteams/limits-specifications-teams#chat),
 * after the workflow has already said 202, so nothing here would ever report
 * it: the card is rebuilt with smaller per-value caps until its JSON is under
 * `TEAMS_LIMITS.bytes`, which leaves room for what the workflow adds.
 */

import type { Template } from "../../config/shared.ts";
import type { EventView } from "../../event/view.ts";
import type { Speech } from "../../format/speech.ts";
import { type ChatContent, chatContent } from "../chat-family/content.ts";
import { cut, fitWithin, jsonBytes } from "../chat-family/text.ts";
import { chatTranscript } from "../chat-family/transcript.ts";
import type { TeamsDestinationConfig } from "./config.ts";
import { escapeTeams } from "./escape.ts";

export type TeamsElement =
  | {
      readonly type: "TextBlock";
      readonly text: string;
      readonly wrap: true;
      readonly weight?: "Bolder";
      readonly size?: "Medium" | "Small";
      readonly isSubtle?: true;
      readonly spacing?: "Medium";
    }
  | { readonly type: "FactSet"; readonly facts: readonly { readonly title: string; readonly value: string }[] };

export interface AdaptiveCard {
  readonly $schema: "http://adaptivecards.io/schemas/adaptive-card.json";
  readonly type: "AdaptiveCard";
  readonly version: "1.4";
  readonly body: readonly TeamsElement[];
  readonly actions?: readonly { readonly type: "Action.OpenUrl"; readonly title: string; readonly url: string }[];
  readonly msteams: { readonly width: "Full" };
}

/** The body of the workflow webhook POST. */
export interface TeamsPayload {
  readonly type: "message";
  readonly attachments: readonly [
    {
      readonly contentType: "application/vnd.microsoft.card.adaptive";
      readonly contentUrl: null;
      readonly content: AdaptiveCard;
    },
  ];
}

export const TEAMS_LIMITS = {
  /** The whole POST body, in UTF-8 bytes: Teams' ~28 KB message limit, less room for the workflow's wrapping. */
  bytes: 26 * 1024,
  /** Title line, in characters. */
  title: 512,
  /** One fact's value. */
  factValue: 1024,
  /** The note, message or template text. */
  text: 16_384,
} as const;

/**
 * Builds the Teams message for one event. Never throws, whatever the payload.
 *
 * @example
 * formatTeams(view, { type: "teams", webhook_url_secret: "TEAMS_URL", include_contact: false })
 * // → { type: "message", attachments: [{ contentType: "application/vnd.microsoft.card.adaptive", contentUrl: null,
 * //     content: { type: "AdaptiveCard", version: "1.4", body: [{ type: "TextBlock", text: "Session closed (userCancel)", … },
 * //       { type: "FactSet", facts: [{ title: "Session", value: "s1" }, …] }, …] } }] }
 */
export function formatTeams(
  event: EventView,
  dest: TeamsDestinationConfig,
  template?: Template,
  speech: Speech = {},
): TeamsPayload {
  const content = chatContent(event, dest, template, { title: escapeTeams, text: escapeTeams }, speech);
  const main = fitWithin(
    (cap) => message(card(content, cap)),
    (p) => jsonBytes(p) <= TEAMS_LIMITS.bytes,
  );
  // The transcript on close takes what is left of the bytes, before the footer.
  const room = TEAMS_LIMITS.bytes - jsonBytes(main) - 200;
  const t = chatTranscript(speech, {
    escape: escapeTeams,
    line: (time, sender, text) => `**${time}** ${sender}: ${text}`,
    // Teams needs an empty line for a line break.
    separator: "\n\n",
    fits: (t) => jsonBytes(t.heading) + jsonBytes(t.text) <= room,
  });
  if (t === undefined || jsonBytes(t.heading) + jsonBytes(t.text) > room) return main;
  const extra: TeamsElement[] = [
    { type: "TextBlock", text: `**${escapeTeams(t.heading)}**`, wrap: true, spacing: "Medium" },
  ];
  if (t.text !== "") extra.push({ type: "TextBlock", text: t.text, wrap: true });
  const body = main.attachments[0].content.body;
  return message({ ...main.attachments[0].content, body: [...body.slice(0, -1), ...extra, ...body.slice(-1)] });
}

function card(c: ChatContent, cap: number): AdaptiveCard {
  const limit = (max: number) => Math.min(max, cap);
  const body: TeamsElement[] = [
    { type: "TextBlock", text: cut(c.title, limit(TEAMS_LIMITS.title)), wrap: true, weight: "Bolder", size: "Medium" },
  ];
  const facts = c.fields
    .filter((f) => !f.long)
    .map((f) => ({ title: f.label, value: cut(f.value, limit(TEAMS_LIMITS.factValue)) }));
  if (facts.length > 0) body.push({ type: "FactSet", facts });
  if (c.text !== undefined) {
    const text = cut(c.text, limit(TEAMS_LIMITS.text));
    if (text !== "") body.push({ type: "TextBlock", text, wrap: true });
  }
  for (const f of c.fields.filter((f) => f.long)) {
    body.push({ type: "TextBlock", text: `**${f.label}**\n\n${cut(f.value, limit(TEAMS_LIMITS.text))}`, wrap: true });
  }
  body.push({
    type: "TextBlock",
    text: cut(escapeTeams(c.footer), limit(TEAMS_LIMITS.title)),
    wrap: true,
    isSubtle: true,
    size: "Small",
    spacing: "Medium",
  });
  return {
    $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
    type: "AdaptiveCard",
    version: "1.4",
    body,
    ...(c.link === undefined ? {} : { actions: [{ type: "Action.OpenUrl", title: "Open in Gitple", url: c.link }] }),
    msteams: { width: "Full" },
  };
}

function message(content: AdaptiveCard): TeamsPayload {
  return {
    type: "message",
    attachments: [{ contentType: "application/vnd.microsoft.card.adaptive", contentUrl: null, content }],
  };
}
