/**
 * A session's transcript: `/exports/sessions/:id/messages`, normalised oldest first (Gitple's example
 * lists newest first, so it is sorted by `ctime`) and cut to the last N. Never throws: an item
 * without a usable time is skipped, content of an unknown shape becomes a text placeholder, a link
 * whose URL is not http(s) is not kept as a link. Not cached: a transcript is read once, on close.
 */
import { err, ok, type Result } from "../result.ts";
import { type GitpleConnection, type GitpleProblem, gitpleGet } from "./client.ts";
import type { IdsByKind } from "./resolve.ts";

export type SenderType = "agent" | "user" | "bot" | "sys";

export type TranscriptContent =
  | { kind: "text"; text: string }
  /** `{"l": {"m": mime, "u": url}}`: a link or an image (mime `image/*`). */
  | { kind: "link"; mime: string; url: string }
  /** `{"e": {"alt": "😄"}}` */
  | { kind: "emoticon"; alt: string };

export interface TranscriptMessage {
  /** UTC ISO time. */
  time: string;
  senderType: SenderType;
  senderId: string;
  content: TranscriptContent;
}

export interface Transcript {
  messages: TranscriptMessage[];
  /** The kept items as Gitple returned them, in the same order (for webhook envelopes). */
  raw: unknown[];
  /** Older messages left out by the limit. */
  omitted: number;
}

/** The most any destination may ask for (`transcript = 1 .. 200`). */
export const MAX_TRANSCRIPT = 200;
const SENDERS: ReadonlySet<string> = new Set(["agent", "user", "bot", "sys"]);

/**
 * Fetches and normalises a session's last `last` messages before `deadline` (epoch ms).
 * @example
 *   const r = await fetchTranscript(conn, sessionId, { last: 20, deadline: Date.now() + 3000 });
 *   if (r.ok) r.value.messages; // oldest first
 *   else "transcript unavailable"
 */
export async function fetchTranscript(
  conn: GitpleConnection,
  sessionId: string,
  options: { last: number; deadline: number },
): Promise<Result<Transcript, GitpleProblem>> {
  const answer = await gitpleGet(conn, ["exports", "sessions", sessionId, "messages"], options.deadline);
  if (!answer.ok) return err(answer.error);
  return ok(normalizeTranscript(answer.value, options.last));
}

/**
 * The pure part: any JSON in, the last `last` messages out, oldest first.
 * @example
 *   normalizeTranscript([{ senderType: "user", senderId: 7, content: "안녕하세요", ctime: "2019-04-29T09:00:00Z" }], 10)
 *   // → { messages: [{ time: "2019-04-29T09:00:00.000Z", senderType: "user", senderId: "7", content: { kind: "text", text: "안녕하세요" } }], raw: [...], omitted: 0 }
 */
export function normalizeTranscript(body: unknown, last: number): Transcript {
  const items = Array.isArray(body) ? body : [];
  const kept: { at: number; index: number; message: TranscriptMessage; raw: unknown }[] = [];
  items.forEach((raw, index) => {
    const message = normalizeItem(raw);
    if (message) kept.push({ at: Date.parse(message.time), index, message, raw });
  });
  // Oldest first; equal times keep the API's relative order reversed (it lists newest first).
  kept.sort((a, b) => a.at - b.at || b.index - a.index);
  const n = Math.max(0, Math.min(Math.floor(Number.isFinite(last) ? last : 0), MAX_TRANSCRIPT));
  const tail = n === 0 ? [] : kept.slice(-n);
  return { messages: tail.map((k) => k.message), raw: tail.map((k) => k.raw), omitted: kept.length - tail.length };
}

/**
 * The people a transcript names (agents and customers by senderId), to resolve with resolveNames so
 * each line shows a name; bots and the system have no id to look up.
 * @example transcriptIds(t) // { agents: ["5cc6a5…"], users: ["5cc6b9…"] }
 */
export function transcriptIds(transcript: Pick<Transcript, "messages">): IdsByKind {
  const agents = new Set<string>();
  const users = new Set<string>();
  for (const m of transcript.messages) {
    if (m.senderId === "") continue;
    if (m.senderType === "agent") agents.add(m.senderId);
    else if (m.senderType === "user") users.add(m.senderId);
  }
  return { agents: [...agents], users: [...users] };
}

function normalizeItem(raw: unknown): TranscriptMessage | null {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return null;
  const o = raw as Record<string, unknown>;
  const at = typeof o.ctime === "string" || typeof o.ctime === "number" ? new Date(o.ctime).getTime() : Number.NaN;
  if (!Number.isFinite(at)) return null;
  const senderType =
    typeof o.senderType === "string" && SENDERS.has(o.senderType) ? (o.senderType as SenderType) : "sys";
  const senderId =
    typeof o.senderId === "string" ? o.senderId : typeof o.senderId === "number" ? String(o.senderId) : "";
  return { time: new Date(at).toISOString(), senderType, senderId, content: contentOf(o.content) };
}

function contentOf(c: unknown): TranscriptContent {
  if (typeof c === "string") return text(c);
  if (typeof c !== "object" || c === null || Array.isArray(c)) return text("[unsupported content]");
  const o = c as Record<string, unknown>;
  const link = o.l;
  if (typeof link === "object" && link !== null) {
    const { m, u } = link as Record<string, unknown>;
    const mime = typeof m === "string" && m !== "" ? m : "application/octet-stream";
    if (typeof u === "string" && /^https?:\/\//i.test(u) && URL.canParse(u)) return { kind: "link", mime, url: u };
    return text("[link]");
  }
  const emoticon = o.e;
  if (typeof emoticon === "object" && emoticon !== null) {
    const alt = (emoticon as Record<string, unknown>).alt;
    return { kind: "emoticon", alt: typeof alt === "string" ? alt : "" };
  }
  if (typeof o.t === "string") return text(o.t);
  return text("[unsupported content]");
}

/** Texts are kept whole: each destination cuts to its own limits. */
const text = (t: string): TranscriptContent => ({ kind: "text", text: t });
