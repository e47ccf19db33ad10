/**
 * Renders an event as a Google Chat webhook message with one card
 * (https://developers.google.com/workspace/chat/api/reference/rest/v1/cards):
 * the header holds the title and the triggerId footer as its subtitle, a
 * section holds the short fields as `decoratedText`, the note or message (or
 * the template's text) as `textParagraph`, and an "Open in Gitple" button when
 * `session_url` gives a link. The top-level `text` repeats the title, since it
 * is what notifications show.
 *
 * Chat refuses a message over 32,000 bytes
 * (https://developers.google.com/workspace/chat/create-messages), so the card
 * is rebuilt with smaller per-value caps until its JSON fits, and card text is
 * HTML-escaped before it is cut (see escape.ts, and text.ts for cutting).
 */

import type { Template } from "../../config/shared.ts";
import type { EventView } from "../../event/view.ts";
import type { Speech } from "../../format/speech.ts";
import { oneLine } from "../../lib/text.ts";
import { type ChatContent, chatContent } from "../chat-family/content.ts";
import { cut, fitWithin, jsonBytes } from "../chat-family/text.ts";
import { chatTranscript } from "../chat-family/transcript.ts";
import type { GoogleChatDestinationConfig } from "./config.ts";
import { escapeChatHtml, neutraliseChatText } from "./escape.ts";

export type ChatWidget =
  | { readonly decoratedText: { readonly topLabel: string; readonly text: string; readonly wrapText: true } }
  | { readonly textParagraph: { readonly text: string } }
  | {
      readonly buttonList: {
        readonly buttons: readonly {
          readonly text: string;
          readonly onClick: { readonly openLink: { readonly url: string } };
        }[];
      };
    };

export interface ChatCard {
  readonly header: { readonly title: string; readonly subtitle: string };
  readonly sections: readonly { readonly widgets: readonly ChatWidget[] }[];
}

/** The body of the incoming-webhook POST. */
export interface GoogleChatPayload {
  readonly text: string;
  readonly cardsV2: readonly [{ readonly cardId: string; readonly card: ChatCard }];
}

export const GOOGLE_CHAT_LIMITS = {
  /** The whole message, in UTF-8 bytes (Chat's 32,000, less a margin for what Chat adds). */
  bytes: 31_000,
  /** Header title and subtitle, and the top-level text. */
  title: 256,
  /** One field's text. */
  fieldText: 1024,
  /** The note, message or template text. */
  text: 16_384,
} as const;

/**
 * Builds the Google Chat message for one event. Never throws, whatever the payload.
 *
 * @example
 * formatGoogleChat(view, { type: "google-chat", webhook_url_secret: "GCHAT_URL", include_contact: false })
 * // → { text: "Session closed (userCancel)", cardsV2: [{ cardId: "gitple-event", card: {
 * //     header: { title: "Session closed (userCancel)", subtitle: "Gitple · session_state_close · trigger t1" },
 * //     sections: [{ widgets: [{ decoratedText: { topLabel: "Session", text: "s1", wrapText: true } }, …] }] } }] }
 */
export function formatGoogleChat(
  event: EventView,
  dest: GoogleChatDestinationConfig,
  template?: Template,
  speech: Speech = {},
): GoogleChatPayload {
  // Header titles are plain text: the title's values are flattened, not escaped.
  const content = chatContent(event, dest, template, { title: oneLine, text: escapeChatHtml }, speech);
  const main = fitWithin(
    (cap) => message(content, cap),
    (p) => jsonBytes(p) <= GOOGLE_CHAT_LIMITS.bytes,
  );
  return withTranscript(main, speech);
}

/** The transcript on close as a second card section, within what is left of the bytes. */
function withTranscript(main: GoogleChatPayload, speech: Speech): GoogleChatPayload {
  const room = GOOGLE_CHAT_LIMITS.bytes - jsonBytes(main) - 200;
  const t = chatTranscript(speech, {
    escape: escapeChatHtml,
    line: (time, sender, text) => `<b>${time}</b> ${sender}: ${text.replace(/\n/g, "<br>")}`,
    separator: "<br>",
    fits: (t) => jsonBytes(t.heading) + jsonBytes(t.text) <= room,
  });
  if (t === undefined || jsonBytes(t.heading) + jsonBytes(t.text) > room) return main;
  const widgets: ChatWidget[] = [{ textParagraph: { text: `<b>${escapeChatHtml(t.heading)}</b>` } }];
  if (t.text !== "") widgets.push({ textParagraph: { text: t.text } });
  const [entry] = main.cardsV2;
  return { ...main, cardsV2: [{ ...entry, card: { ...entry.card, sections: [...entry.card.sections, { widgets }] } }] };
}

function message(c: ChatContent, cap: number): GoogleChatPayload {
  const limit = (max: number) => Math.min(max, cap);
  const title = cut(c.title, limit(GOOGLE_CHAT_LIMITS.title));
  const widgets: ChatWidget[] = [];
  for (const f of c.fields.filter((f) => !f.long)) {
    widgets.push({
      decoratedText: { topLabel: f.label, text: cut(f.value, limit(GOOGLE_CHAT_LIMITS.fieldText)), wrapText: true },
    });
  }
  const paragraphs =
    c.text === undefined
      ? c.fields.filter((f) => f.long).map((f) => `<b>${f.label}</b><br>${f.value}`)
      : [c.text.replace(/\n/g, "<br>")];
  for (const paragraph of paragraphs) {
    const text = cut(paragraph, limit(GOOGLE_CHAT_LIMITS.text));
    if (text !== "") widgets.push({ textParagraph: { text } });
  }
  // A section needs a widget: an event with no fields at all repeats the footer there.
  if (widgets.length === 0)
    widgets.push({ textParagraph: { text: cut(escapeChatHtml(c.footer), limit(GOOGLE_CHAT_LIMITS.title)) } });
  // The subtitle is short: the ids behind the names get a line of their own.
  if (c.ids !== undefined)
    widgets.push({ textParagraph: { text: cut(escapeChatHtml(c.ids), limit(GOOGLE_CHAT_LIMITS.fieldText)) } });
  if (c.link !== undefined) {
    widgets.push({ buttonList: { buttons: [{ text: "Open in Gitple", onClick: { openLink: { url: c.link } } }] } });
  }
  return {
    text: cut(neutraliseChatText(c.title), limit(GOOGLE_CHAT_LIMITS.title)),
    cardsV2: [
      {
        cardId: "gitple-event",
        card: {
          header: { title, subtitle: cut(c.footer, limit(GOOGLE_CHAT_LIMITS.title)) },
          sections: [{ widgets }],
        },
      },
    ],
  };
}
