/**
 * A transcript as lines people read, before any kind lays it out: each message's time (in the
 * configured zone), its sender (the customer's or agent's name, "bot", "system") and its content
 * (text; a link labelled with its type, e.g. `[image] https://…`; an emoticon as its alt text).
 * Plain and unescaped: every kind escapes the sender and the content for its target.
 *
 * Also the fixed wording: the heading, "N earlier messages left out", the preview placeholder and
 * the notice when the transcript could not be fetched (Korean first for support leads, with the
 * English phrase kept so on-call can search for it).
 */

import { nameOf } from "../gitple/names.ts";
import type { Resolution } from "../gitple/resolve.ts";
import type { TranscriptContent, TranscriptMessage } from "../gitple/transcript.ts";
import { oneLine } from "../lib/text.ts";
import { multiLine } from "./describe.ts";
import type { TranscriptState } from "./speech.ts";
import { formatTime } from "./time.ts";

export interface TranscriptLine {
  /** `2019-04-29 18:05 KST` */
  readonly time: string;
  /** `박지훈`, `김민준`, `bot`, `system` (on one line). */
  readonly sender: string;
  readonly content: TranscriptContent;
}

export const TRANSCRIPT_UNAVAILABLE = "대화 내용을 불러오지 못했습니다 (transcript unavailable)";
export const TRANSCRIPT_TITLE = "Transcript";

/**
 * @example transcriptLines(state.messages, { senders, names, timeZone: "Asia/Seoul" })
 * // → [{ time: "2019-04-29 18:01 KST", sender: "박지훈", content: { kind: "text", text: "안녕하세요" } }, …]
 */
export function transcriptLines(
  messages: readonly TranscriptMessage[],
  opts: { senders?: Resolution; names?: Resolution; timeZone?: string },
): TranscriptLine[] {
  return messages.map((m) => ({
    time: formatTime(m.time, opts.timeZone ?? "UTC"),
    sender: senderOf(m, opts),
    content: m.content,
  }));
}

function senderOf(m: TranscriptMessage, opts: { senders?: Resolution; names?: Resolution }): string {
  if (m.senderType === "bot") return "bot";
  if (m.senderType === "sys") return "system";
  const kind = m.senderType === "agent" ? "agents" : "users";
  const named = [opts.senders, opts.names]
    .map((res) => (res ? nameOf(res, kind, m.senderId) : m.senderId))
    .find((n) => n !== m.senderId);
  const fallback = m.senderType === "agent" ? `agent ${m.senderId}` : "customer";
  return oneLine(named ?? fallback) || fallback;
}

/**
 * The content as plain text: `[image] https://…`, `[link application/pdf] https://…`, the emoticon's alt.
 * @example contentText({ kind: "link", mime: "image/png", url: "https://x/y.png" }) // "[image] https://x/y.png"
 */
export function contentText(c: TranscriptContent): string {
  switch (c.kind) {
    case "text":
      return multiLine(c.text);
    case "link":
      return `[${linkLabel(c.mime)}] ${c.url}`;
    case "emoticon":
      return oneLine(c.alt) || "[emoticon]";
  }
}

/** `image` for image/*, `video`, `audio`, else `link <mime>`. */
export function linkLabel(mime: string): string {
  const top = mime.split("/")[0]?.toLowerCase() ?? "";
  if (top === "image" || top === "video" || top === "audio") return top;
  return `link ${oneLine(mime)}`.trim();
}

/** https, and nothing a markup could read as its own (`<`, `>`, quotes, `|`, spaces). */
const SAFE_IMAGE_URL = /^https:\/\/[^\s<>"'|\\]+$/;

/** Whether a link may be shown as an image where the target embeds images: an https image. */
export function isSafeImage(c: TranscriptContent): c is { kind: "link"; mime: string; url: string } {
  return c.kind === "link" && c.mime.toLowerCase().startsWith("image/") && SAFE_IMAGE_URL.test(c.url);
}

/**
 * The heading over a transcript, or the whole line when there are no messages to show.
 * @example transcriptHeading({ state: "ok", messages: [a, b], omitted: 0, raw: [] }, 0) // "Transcript (last 2 messages)"
 */
export function transcriptHeading(state: TranscriptState, shown: number): string {
  switch (state.state) {
    case "preview":
      return `${TRANSCRIPT_TITLE}: the last ${state.last} messages are fetched from Gitple when this is sent`;
    case "unavailable":
      return TRANSCRIPT_UNAVAILABLE;
    case "ok":
      return shown === 0 ? `${TRANSCRIPT_TITLE}: no messages` : `${TRANSCRIPT_TITLE} (last ${shown} messages)`;
  }
}

/**
 * "3 earlier messages left out" (the destination's own limit and Gitple's combined), or "".
 * @example leftOut(3) // "3 earlier messages left out"
 */
export function leftOut(count: number): string {
  if (count <= 0) return "";
  return count === 1 ? "1 earlier message left out" : `${count} earlier messages left out`;
}

/**
 * The newest lines that fit, oldest first, and how many were cut. `fits` must be monotonic (if some
 * lines fit, fewer of them do too): the count is found by binary search, so a 200-line transcript
 * costs eight layouts, not 200.
 * @example fitNewest(["a", "b", "c"], (kept) => kept.join("\n").length <= 3) // { kept: ["b", "c"], omitted: 1 }
 */
export function fitNewest<T>(
  lines: readonly T[],
  fits: (kept: readonly T[]) => boolean,
): { kept: T[]; omitted: number } {
  let lo = 0;
  let hi = lines.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (fits(lines.slice(lines.length - mid))) lo = mid;
    else hi = mid - 1;
  }
  return { kept: lines.slice(lines.length - lo), omitted: lines.length - lo };
}
