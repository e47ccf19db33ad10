/**
 * What a chat message says, before any kind lays it out: a title, either the
 * built-in labelled fields or an operator's template text, the triggerId
 * footer, and the session link. Discord, Teams and Google Chat share it so
 * they always say the same thing; each passes its own escapers, and lays the
 * result out in its own structure within its own limits.
 *
 * Which wording applies: a template's `title` replaces the built-in title, its
 * `text` replaces the built-in fields (the footer and the link stay, so the
 * on-call can always find a message's logs). Substituted values are escaped
 * for the target; single-line values (ids, names, lists) are put on one line
 * first, so a name holding "\n**Email**" cannot forge a line in any kind.
 *
 * Trade-off: a template title that renders blank (its placeholders were all
 * empty) falls back to the built-in title, since a card without a title is
 * useless in a notification list.
 */
import type { EventView } from "../../event/view.ts";
import { eventFields, eventTitle } from "../../format/describe.ts";
import { type Placeholder, renderTemplate, type TemplateValues, templateValues } from "../../format/template.ts";
import type { Template } from "../../routing/types.ts";
import { multiLine, oneLine } from "./text.ts";

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
  /** `Gitple · <type> · trigger <triggerId> · <appCode>`, plain text on one line. */
  readonly footer: string;
  /** The destination's `session_url`, values URL-encoded; only an http(s) URL of at most 2048 characters. */
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

/** Longest session link a card gets: longer ones are almost certainly a broken template. */
export const MAX_LINK_LENGTH = 2048;

/** Free-text placeholders that keep their line breaks; every other value is flattened to one line. */
const MULTI_LINE: ReadonlySet<Placeholder> = new Set(["session.note", "message.content"]);

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
): ChatContent {
  const includeContact = dest.include_contact === true;
  const values = cleanValues(templateValues(event, { includeContact }));
  const templateTitle =
    template?.title === undefined ? "" : oneLine(renderTemplate(template.title, values, escapers.title));
  const title = templateTitle !== "" ? templateTitle : escapers.title(eventTitle(event));
  const footer = footerOf(event);
  const link = sessionLink(dest.session_url, values);
  const withLink = link === undefined ? {} : { link };
  if (template?.text !== undefined) {
    const text = multiLine(renderTemplate(template.text, values, escapers.text));
    return { title, text, fields: [], footer, ...withLink };
  }
  const fields = eventFields(event, { includeContact }).map(
    (f): ChatField => ({ label: f.label, value: escapers.text(f.value), long: f.long === true }),
  );
  return { title, fields, footer, ...withLink };
}

/**
 * A `session_url` template filled with URL-encoded values, kept only when it is
 * an absolute http(s) URL of at most 2048 characters: a value cannot turn it
 * into `javascript:` or add a path segment, and a broken link is left out
 * rather than making the service reject the whole message.
 *
 * @example
 * sessionLink("https://console.gitple.io/s/{{session.id}}", values) // → "https://console.gitple.io/s/a%2Fb"
 * sessionLink("{{session.id}}", values)                           // → undefined
 */
export function sessionLink(urlTemplate: string | undefined, values: TemplateValues): string | undefined {
  if (urlTemplate === undefined) return undefined;
  const url = renderTemplate(urlTemplate, values, encodeURIComponent).trim();
  if (url.length > MAX_LINK_LENGTH || !URL.canParse(url)) return undefined;
  const { protocol } = new URL(url);
  return protocol === "https:" || protocol === "http:" ? url : undefined;
}

/** Every value on one line, except the free-text ones, which keep their line breaks. */
function cleanValues(values: TemplateValues): TemplateValues {
  const out: Record<Placeholder, string> = { ...values };
  for (const [name, value] of Object.entries(values) as [Placeholder, string][]) {
    out[name] = MULTI_LINE.has(name) ? multiLine(value) : oneLine(value);
  }
  return out;
}

/** `Gitple · <type> · trigger <triggerId> · <appCode>`: on-call finds the logs of a message by its triggerId. */
function footerOf(event: EventView): string {
  const parts = ["Gitple", event.type, `trigger ${event.triggerId}`];
  if (event.appCode) parts.push(event.appCode);
  return parts.map(oneLine).join(" · ");
}
