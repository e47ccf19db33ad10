/**
 * The transcript on close as Slack blocks: a context line heading it (how many are shown, how many
 * earlier ones were left out, or "transcript unavailable"), then the messages in mrkdwn sections of
 * at most 3,000 characters, oldest first, each `*time* sender: content` with the sender and the
 * content escaped like every payload value (escape.ts). An image is a link, never an image block:
 * Slack refuses the whole message (`invalid_blocks`) when it cannot fetch a block's image, and a
 * customer's expired or private image must not turn a close notice into a dead letter.
 * It takes the blocks it is given room for and at most TRANSCRIPT_CHARS characters, cutting from
 * the oldest.
 */
import type { Speech, TranscriptState } from "../../format/speech.ts";
import {
  contentText,
  fitNewest,
  leftOut,
  type TranscriptLine,
  transcriptHeading,
  transcriptLines,
} from "../../format/transcript.ts";
import { escapeMrkdwn, escapeTruncate } from "./escape.ts";

interface Mrkdwn {
  readonly type: "mrkdwn";
  readonly text: string;
  readonly verbatim: true;
}

/** The blocks a transcript is made of (format.ts's SlackBlock includes them). */
export type TranscriptBlock =
  | { readonly type: "context"; readonly elements: readonly Mrkdwn[] }
  | { readonly type: "section"; readonly text: Mrkdwn };
type SlackBlock = TranscriptBlock;

/** One message's line is cut to this; the whole transcript to TRANSCRIPT_CHARS (Slack shows ~40,000 per message). */
const LINE_CHARS = 1000;
const SECTION_CHARS = 3000;
export const TRANSCRIPT_CHARS = 12_000;

/**
 * @example transcriptBlocks(speech, 20) // → [{ type: "context", … "*Transcript (last 12 messages)*" }, { type: "section", … }, …]
 */
export function transcriptBlocks(speech: Speech, room: number): SlackBlock[] {
  const state = speech.transcript;
  if (state === undefined || room < 1) return [];
  if (state.state !== "ok") return [heading(state, 0, 0)];
  const lines = transcriptLines(state.messages, {
    ...(state.senders && { senders: state.senders }),
    ...(speech.names && { names: speech.names }),
    ...(speech.timeZone !== undefined && { timeZone: speech.timeZone }),
  });
  const { kept, omitted } = fitNewest(lines, (some) => {
    const blocks = layout(some);
    return blocks.length <= room - 1 && chars(blocks) <= TRANSCRIPT_CHARS;
  });
  return [heading(state, kept.length, state.omitted + omitted), ...layout(kept)];
}

function heading(state: TranscriptState, shown: number, omitted: number): SlackBlock {
  const note = leftOut(omitted);
  const text = `*${escapeMrkdwn(transcriptHeading(state, shown))}*${note ? ` · ${escapeMrkdwn(note)}` : ""}`;
  return { type: "context", elements: [{ type: "mrkdwn", text, verbatim: true }] };
}

/** Lines into sections (each ≤ 3,000 characters). */
function layout(lines: readonly TranscriptLine[]): SlackBlock[] {
  const blocks: SlackBlock[] = [];
  let section: string[] = [];
  let size = 0;
  const flush = () => {
    if (section.length > 0)
      blocks.push({ type: "section", text: { type: "mrkdwn", text: section.join("\n"), verbatim: true } });
    section = [];
    size = 0;
  };
  for (const line of lines) {
    const text = lineText(line);
    if (size + text.length + 1 > SECTION_CHARS) flush();
    section.push(text);
    size += text.length + 1;
  }
  flush();
  return blocks;
}

function lineText(line: TranscriptLine): string {
  const head = `*${escapeMrkdwn(line.time)}* ${escapeMrkdwn(line.sender)}: `;
  return head + escapeTruncate(contentText(line.content), LINE_CHARS - head.length);
}

function chars(blocks: readonly SlackBlock[]): number {
  let n = 0;
  for (const b of blocks) if (b.type === "section") n += b.text.text.length;
  return n;
}
