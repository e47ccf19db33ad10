/**
 * Renders an event as an email: a subject, a plain-text body and an HTML body
 * saying the same thing.
 *
 * Built from the shared describe fields (the title, labelled fields, the
 * note or message, the footer with the triggerId), or from the operator's
 * template: its `title` heads the body, its `text` replaces the fields. The
 * subject is the destination's `subject` template, else the template's
 * title, else the built-in title. In the HTML part every value from the
 * payload is HTML-escaped (`&`, `<`, `>`, `"`, `'`), so a customer's
 * `</script>` or `<img onerror>` is text; the template's own text is the
 * operator's markup and is kept (inside a `white-space: pre-wrap` block, so a
 * plain-text template keeps its line breaks). Header safety (CR/LF, RFC 2047)
 * is mime.ts's job, not this module's.
 *
 * Trade-off: the HTML is deliberately plain (inline styles, one table), the
 * kind every mail client renders the same; no images, no tracking.
 */

import type { Template } from "../../config/shared.ts";
import type { EventView } from "../../event/view.ts";
import { eventFields, eventFooter, eventTitle } from "../../format/describe.ts";
import type { Speech } from "../../format/speech.ts";
import { renderParts, renderTitle, templateValues } from "../../format/template.ts";
import { truncate } from "../../lib/truncate.ts";
import type { EmailDestinationConfig } from "./config.ts";
import { emailTranscript } from "./transcript.ts";

export interface EmailContent {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

export const EMAIL_LIMITS = {
  /** Subject, in UTF-16 code units: long enough for any sensible subject, far below the 998-character line limit. */
  subject: 200,
} as const;

/**
 * Builds the email for one event, in the operator's template when one applies
 * (pass `pickTemplate`'s answer). Never throws, whatever the payload.
 *
 * @example
 * formatEmail(viewEvent(close), dest)
 * // → { subject: "Session closed (userCancel)",
 * //     text: "Session closed (userCancel)\n\nSession: 5cc6…\n…\nNote:\n택배 분실로…\n\n-- \nGitple · session_state_close · trigger 5cc6… · acme-shop\n",
 * //     html: "<!DOCTYPE html>…<h2 …>Session closed (userCancel)</h2><table …>…" }
 */
export function formatEmail(
  event: EventView,
  dest: EmailDestinationConfig,
  opts: { template?: Template; speech?: Speech } = {},
): EmailContent {
  const speech = opts.speech ?? {};
  const names = speech.names;
  const plain = renderParts(event, dest, opts.template, { text: (value) => value }, names);
  const marked = renderParts(event, dest, opts.template, { title: escapeHtml, text: escapeHtml }, names);
  const title = plain.title ?? eventTitle(event, speech);
  const values = templateValues(event, { includeContact: dest.include_contact === true, ...speech });
  const subject = (dest.subject === undefined ? "" : renderTitle(dest.subject, values)) || title;
  const fields = eventFields(event, { includeContact: dest.include_contact === true, ...speech });
  const footer = eventFooter(event, names);

  const text: string[] = [title, ""];
  const html: string[] = [`<h2 style="${H2}">${marked.title ?? escapeHtml(title)}</h2>`];
  if (plain.text === undefined) {
    const short = fields.filter((f) => !f.long);
    for (const f of short) text.push(`${f.label}: ${f.value}`);
    if (short.length > 0) {
      const rows = short.map(
        (f) => `<tr><th style="${TH}">${escapeHtml(f.label)}</th><td>${escapeHtml(f.value)}</td></tr>`,
      );
      html.push(`<table role="presentation" style="border-collapse:collapse">${rows.join("")}</table>`);
    }
    for (const f of fields.filter((f) => f.long)) {
      text.push("", `${f.label}:`, f.value);
      html.push(`<h3 style="${H3}">${escapeHtml(f.label)}</h3><div style="${PRE}">${escapeHtml(f.value)}</div>`);
    }
  } else if (plain.text !== "") {
    text.push(plain.text);
    html.push(`<div style="${PRE}">${marked.text ?? ""}</div>`);
  }
  if (plain.link !== undefined) {
    text.push("", `Open in Gitple: ${plain.link}`);
    html.push(`<p style="margin:16px 0"><a href="${escapeHtml(plain.link)}">Open in Gitple</a></p>`);
  }
  const transcript = emailTranscript(speech, escapeHtml);
  if (transcript) {
    text.push(...transcript.text);
    html.push(transcript.html);
  }
  text.push("", "-- ", footer, "");
  html.push(`<p style="${FOOT}">${escapeHtml(footer)}</p>`);

  return {
    subject: truncate(subject, EMAIL_LIMITS.subject),
    text: text.join("\n"),
    html: page(truncate(subject, EMAIL_LIMITS.subject), html.join("\n")),
  };
}

const H2 = "font-size:18px;margin:0 0 12px";
const H3 = "font-size:14px;margin:16px 0 4px";
const TH = "text-align:left;vertical-align:top;padding:2px 12px 2px 0;color:#616061;font-weight:600";
const PRE = "white-space:pre-wrap";
const FOOT = "margin-top:24px;color:#868686;font-size:12px";

function page(subject: string, body: string): string {
  return [
    "<!DOCTYPE html>",
    '<html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">',
    `<title>${escapeHtml(subject)}</title></head>`,
    "<body style=\"font-family:-apple-system,'Segoe UI',Roboto,'Noto Sans KR',sans-serif;font-size:14px;color:#1d1c1d\">",
    body,
    "</body></html>",
    "",
  ].join("\n");
}

/**
 * Escapes text for HTML content and (double-quoted) attribute values.
 *
 * @example
 * escapeHtml(`</script><a href="x">'`) // → "&lt;/script&gt;&lt;a href=&quot;x&quot;&gt;&#39;"
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ENTITIES[c] ?? c);
}

const HTML_ENTITIES: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};
