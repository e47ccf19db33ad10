/**
 * The transcript on close for the chat kinds (Discord, Teams, Google Chat): one escaped text of
 * the newest messages that fit the room the kind has left, oldest first, under a heading that says
 * how many are shown and how many earlier ones were left out (or "transcript unavailable").
 * Each kind passes its escaper, its line layout and its measure (characters or JSON bytes).
 */
import type { Speech } from "../../format/speech.ts";
import {
  contentText,
  fitNewest,
  leftOut,
  type TranscriptLine,
  transcriptHeading,
  transcriptLines,
} from "../../format/transcript.ts";
import { cut } from "./text.ts";

/** One message's content is cut to this many characters (after escaping). */
const LINE_CHARS = 600;

export interface ChatTranscript {
  /** Plain text (unescaped), e.g. `Transcript (last 12 messages) · 3 earlier messages left out`. */
  readonly heading: string;
  /** Escaped lines, oldest first, joined by the kind's separator; "" when there is none. */
  readonly text: string;
}

export interface TranscriptLayout {
  readonly escape: (text: string) => string;
  /** One message as the kind shows it, from its escaped parts. */
  readonly line: (time: string, sender: string, content: string) => string;
  readonly separator: string;
  /** Whether heading and text fit the room left. */
  readonly fits: (t: ChatTranscript) => boolean;
}

/**
 * @example
 * chatTranscript(speech, { escape: escapeDiscord, line: (t, s, c) => `**${t}** ${s}: ${c}`, separator: "\n", fits: (t) => t.text.length <= 3000 })
 * // → { heading: "Transcript (last 12 messages)", text: "**2019-04-29 18:01 KST** 박지훈: 안녕하세요\n…" }
 */
export function chatTranscript(speech: Speech, layout: TranscriptLayout): ChatTranscript | undefined {
  const state = speech.transcript;
  if (state === undefined) return undefined;
  if (state.state !== "ok") return { heading: transcriptHeading(state, 0), text: "" };
  const lines = transcriptLines(state.messages, {
    ...(state.senders && { senders: state.senders }),
    ...(speech.names && { names: speech.names }),
    ...(speech.timeZone !== undefined && { timeZone: speech.timeZone }),
  }).map((l) => render(l, layout));
  const build = (kept: readonly string[]): ChatTranscript => {
    const note = leftOut(state.omitted + lines.length - kept.length);
    const heading = transcriptHeading(state, kept.length) + (note ? ` · ${note}` : "");
    return { heading, text: kept.join(layout.separator) };
  };
  const { kept } = fitNewest(lines, (some) => layout.fits(build(some)));
  return build(kept);
}

function render(l: TranscriptLine, layout: TranscriptLayout): string {
  return layout.line(
    layout.escape(l.time),
    layout.escape(l.sender),
    cut(layout.escape(contentText(l.content)), LINE_CHARS),
  );
}
