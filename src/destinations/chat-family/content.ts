/**
 * What a chat message says, before any kind lays it out: a title, either the
 * built-in labelled fields or an operator's template text, the triggerId
 * footer, and the session link. Discord, Teams and Google Chat share it so
 * they always say the same thing; each passes its own escapers, and lays the
 * result out in its own structure within its own limits.
 *
 * Which wording applies (rendered by `renderParts`, the code path every
 * formatter shares): a template's `title` replaces the built-in title, its
 * `text` replaces the built-in fields (the footer and the link stay, so the
 * on-call can always find a message's logs). Substituted values are escaped
 * for the target; single-line values (ids, names, lists) are on one line
 * (`templateValues`), so a name holding "\n**Email**" cannot forge a line.
 *
 * Trade-off: a template title that renders blank (its placeholders were all
 * empty) falls back to the built-in title, since a card without a title is
 * useless in a notification list.
 */

import type { Template } from "../../config/shared.ts";
import type { EventView } from "../../event/view.ts";
import { eventFields, eventFooter, eventTitle, multiLine } from "../../format/describe.ts";
import { idsLine } from "../../format/people.ts";
import type { Speech } from "../../format/speech.ts";
import { renderParts } from "../../format/template.ts";

/** A labelled value, already escaped for the target. */
export interface ChatField {
  readonly label: string;
  readonly value: string;
  /** Free text (note, message) that deserves its own block. */
  readonly long: boolean;
}

export interface ChatContent {
  /** One line, escaped with `escapeTitle`. */
  readonly title: string;
  /** The template's text (values escaped with `escapeText`), when the template sets one. */
  readonly text?: string;
  /** The built-in fields, empty when a template text replaces them. */
  readonly fields: readonly ChatField[];
  /** `Gitple · <type> · trigger <triggerId> · <appCode>`, plain text on one line; with names, the ids line too. */
  readonly footer: string;
  /** With names: the ids behind them, on one line (`ids: user … · tags …`), for a kind whose footer is short. */
  readonly ids?: string;
  /** The destination's `session_url`, rendered by `renderLink` (values URL-encoded, http(s) only). */
  readonly link?: string;
}

/** The fields of a chat destination that shape its content. */
export interface ChatOptions {
  readonly include_contact: boolean;
  readonly session_url?: string;
}

/** How a kind escapes payload text: in its title, and in its body. */
export interface Escapers {
  readonly title: (text: string) => string;
  readonly text: (text: string) => string;
}

/**
 * @example
 * chatContent(view, { include_contact: false }, undefined, { title: escapeDiscord, text: escapeDiscord })
 * // → { title: "Session closed (userCancel)", fields: [{ label: "Session", value: "s1", long: false }, …],
 * //     footer: "Gitple · session_state_close · trigger t1 · shop" }
 * chatContent(view, dest, { title: "Closed: {{session.id}}", text: "{{session.note}}" }, escapers)
 * // → { title: "Closed: s1", text: "환불 요청", fields: [], footer: "…" }
 */
export function chatContent(
  event: EventView,
  dest: ChatOptions,
  template: Template | undefined,
  escapers: Escapers,
  speech: Speech = {},
): ChatContent {
  const parts = renderParts(event, dest, template, escapers, speech.names);
  const title = parts.title ?? escapers.title(eventTitle(event, speech));
  const footer = eventFooter(event, speech.names);
  const ids = idsLine(event, speech.names);
  const withLink = { ...(parts.link !== undefined && { link: parts.link }), ...(ids !== "" && { ids }) };
  if (parts.text !== undefined) return { title, text: multiLine(parts.text), fields: [], footer, ...withLink };
  const fields = eventFields(event, { includeContact: dest.include_contact === true, ...speech }).map(
    (f): ChatField => ({ label: f.label, value: escapers.text(f.value), long: f.long === true }),
  );
  return { title, fields, footer, ...withLink };
}
