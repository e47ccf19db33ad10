/**
 * The transcript on close in an email: the whole of it, in both parts (no limit to keep but the
 * destination's `transcript = N`). Plain text: `time sender: content`; HTML: one paragraph per
 * message, every value HTML-escaped, a link as a link (http(s) only, checked when fetched), an
 * image as a link too (no remote images: no tracking, and mail clients block them anyway).
 */
import type { Speech } from "../../format/speech.ts";
import {
  contentText,
  leftOut,
  linkLabel,
  TRANSCRIPT_TITLE,
  transcriptHeading,
  transcriptLines,
} from "../../format/transcript.ts";

/** Both parts' transcript sections; undefined when the message carries none. */
export function emailTranscript(
  speech: Speech,
  escapeHtml: (text: string) => string,
): { text: string[]; html: string } | undefined {
  const state = speech.transcript;
  if (state === undefined) return undefined;
  if (state.state !== "ok") {
    const line = transcriptHeading(state, 0);
    return {
      text: ["", `${TRANSCRIPT_TITLE}:`, line],
      html: `<h3 style="${H3}">${TRANSCRIPT_TITLE}</h3><p>${escapeHtml(line)}</p>`,
    };
  }
  const lines = transcriptLines(state.messages, {
    ...(state.senders && { senders: state.senders }),
    ...(speech.names && { names: speech.names }),
    ...(speech.timeZone !== undefined && { timeZone: speech.timeZone }),
  });
  const note = leftOut(state.omitted);
  const heading = transcriptHeading(state, lines.length) + (note ? ` · ${note}` : "");
  const text = ["", `${heading}:`, ...lines.map((l) => `[${l.time}] ${l.sender}: ${contentText(l.content)}`)];
  const rows = lines.map((l) => {
    const c = l.content;
    const body =
      c.kind === "link"
        ? `[${escapeHtml(linkLabel(c.mime))}] <a href="${escapeHtml(c.url)}">${escapeHtml(c.url)}</a>`
        : `<span style="white-space:pre-wrap">${escapeHtml(contentText(c))}</span>`;
    return `<p style="margin:4px 0"><span style="${TIME}">${escapeHtml(l.time)}</span> <b>${escapeHtml(l.sender)}</b>: ${body}</p>`;
  });
  return { text, html: `<h3 style="${H3}">${escapeHtml(heading)}</h3>\n${rows.join("\n")}` };
}

const H3 = "font-size:14px;margin:16px 0 4px";
const TIME = "color:#868686;font-size:12px";
