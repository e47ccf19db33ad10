/**
 * What an event says, as plain data every formatter (Slack today, others later)
 * renders in its own markup: a one-line title, labelled fields, readable UTC
 * times and session durations.
 *
 * Nothing here escapes or truncates: that is each destination's job, because
 * each has its own markup and limits. What it does do is flatten single-line
 * values (ids, names, times, lists) onto one line, so a name holding
 * "\n*Email*\n…" cannot forge an extra labelled line in any formatter; only the
 * free-text fields (note, message) keep their line breaks.
 *
 * Trade-off: contact details (email, phone) appear only when the destination
 * opts in with `include_contact`; the customer's name and ids always appear,
 * because without them a notification is useless to the agent reading it.
 */
import type { EventView, HeldView, PartyView, SessionView, TimerView } from "../event/view.ts";
import type { Resolution } from "../gitple/resolve.ts";
import { oneLine } from "../lib/text.ts";
import { digestFields, digestTitle } from "./digest.ts";
import { assigneeName, categoryNames, idsLine, namesOf, senderName, sessionUser } from "./people.ts";
import { formatTime } from "./time.ts";
import { formatWaited } from "./waited.ts";
import { type Language, type Words, wordsFor } from "./words.ts";

/** What names, zone and language a message is shown with (a Speech's part that fields need). */
export interface Spoken {
  readonly names?: Resolution;
  readonly timeZone?: string;
  /** The destination's `language` (words.ts); absent: English. */
  readonly language?: Language;
}

export type EventKind = "opened" | "assigned" | "closed" | "message sent" | "unknown";

/** One labelled value. `long` marks free text (note, message) that deserves its own block. */
export interface Field {
  readonly label: string;
  readonly value: string;
  readonly long?: boolean;
}

const KINDS: Readonly<Record<string, EventKind>> = {
  session_state_open: "opened",
  session_state_inprogress: "assigned",
  session_state_close: "closed",
  send_external_message: "message sent",
};

/**
 * What happened, from Gitple's event type (docs/gitple-events.md, "The four event types").
 *
 * @example
 * eventKind("session_state_inprogress") // → "assigned"
 * eventKind("session_state_snooze")     // → "unknown"
 */
export function eventKind(type: string): EventKind {
  return Object.hasOwn(KINDS, type) ? (KINDS[type] ?? "unknown") : "unknown";
}

/**
 * A one-line title in the destination's language: `Session opened`, `Session assigned`,
 * `Session closed (userCancel)` (Gitple's own reason code, as sent), `Message from agent a1`,
 * or `Gitple event: <type>`; in Korean `상담 시작`, `상담 배정`, `상담 종료 (userCancel)`…
 *
 * @example
 * eventTitle(viewEvent({ type: "session_state_close", triggerId: "t", session: { reason: "userCancel" } }))
 * // → "Session closed (userCancel)"; with { language: "ko" } → "상담 종료 (userCancel)"
 */
export function eventTitle(event: EventView, spoken: Spoken = {}): string {
  const w = wordsFor(spoken.language);
  if (event.timer) return timerTitle(event.timer, event.session, w, spoken.language);
  if (event.digest) return digestTitle(event.digest, spoken.language);
  if (event.heldCount !== undefined) return w.heldTitle(event.heldCount);
  const kind = eventKind(event.type);
  switch (kind) {
    case "opened":
      return w.opened;
    case "assigned":
      return w.assigned;
    case "closed": {
      const reason = oneLine(event.session?.reason);
      return reason ? `${w.closed} (${reason})` : w.closed;
    }
    case "message sent": {
      const who = senderName(event, spoken.names) || oneLine(event.from?.id);
      return oneLine(w.messageFrom(`${oneLine(event.from?.type) || "agent"} ${who}`));
    }
    case "unknown":
      return oneLine(`${w.event}: ${oneLine(event.type)}`);
  }
}

/**
 * A timer notice's title (issue 14): `Waiting 5 min: session s1`, `대기 5분: 상담 s1`.
 *
 * @example
 * eventTitle(viewEvent({ type: "timer", triggerId: "timer:t:s1:1", timer: { waitedSeconds: 300 }, session: { id: "s1" } }))
 * // → "Waiting 5 min: session s1"
 */
function timerTitle(timer: TimerView, session: SessionView | undefined, w: Words, language?: Language): string {
  const waited = timer.waitedSeconds === undefined ? "" : ` ${formatWaited(timer.waitedSeconds, language)}`;
  const id = oneLine(session?.id);
  return oneLine(`${w.waiting}${waited}${id ? `: ${w.session} ${id}` : ""}`);
}

/** At most this many held events are listed in a quiet-hours digest; the rest are counted. */
export const DIGEST_LINES = 50;

/**
 * A quiet-hours digest's list (src/holds/object.ts), at most DIGEST_LINES lines, then how many more.
 *
 * @example
 * heldLines([{ type: "session_state_open", at: "2026-12-05T14:10:00Z", session: "s1", tags: ["vip"], note: "환불" }], 52, { timeZone: "Asia/Seoul" })
 * // → "• session_state_open · 2026-12-05 23:10 KST · session s1 · [vip] · 환불\n… and 51 more"
 */
export function heldLines(events: readonly HeldView[], count: number, spoken: Spoken = {}): string {
  const w = wordsFor(spoken.language);
  const lines = events.slice(0, DIGEST_LINES).map((e) => {
    const parts = [oneLine(e.type), displayTime(e.at, spoken.timeZone)];
    if (e.session) parts.push(`${w.session} ${oneLine(e.session)}`);
    if (e.tags.length > 0) parts.push(`[${list(e.tags)}]`);
    if (e.note) parts.push(oneLine(e.note));
    return `• ${parts.join(" · ")}`;
  });
  if (count > lines.length) lines.push(w.more(count - lines.length));
  return lines.join("\n");
}

/**
 * How long a session lasted, as `1h 2m 3s` (the template contract's format:
 * hours are the largest unit, so two days read `48h 0m 0s`) from the largest
 * non-zero unit down (sub-seconds dropped); `0s` for equal times; "" when either time is
 * missing or unreadable, or the close precedes the open.
 *
 * @example
 * duration("2019-04-29T08:57:15.878Z", "2019-04-29T09:05:56.000Z") // → "8m 40s"
 * duration("2019-04-29T08:00:00Z", "2019-04-29T09:00:00Z")         // → "1h 0m 0s"
 */
export function duration(openTime: string | undefined, closeTime: string | undefined): string {
  const from = parseTime(openTime);
  const to = parseTime(closeTime);
  if (from === undefined || to === undefined || to < from) return "";
  let seconds = Math.floor((to - from) / 1000);
  const parts: string[] = [];
  for (const [unit, size] of [
    ["h", 3_600],
    ["m", 60],
  ] as const) {
    const n = Math.floor(seconds / size);
    seconds -= n * size;
    if (n > 0 || parts.length > 0) parts.push(`${n}${unit}`);
  }
  parts.push(`${seconds}s`);
  return parts.join(" ");
}

/**
 * A Gitple time (ISO 8601; Gitple sends UTC) for people: `2019-04-29 09:05:56 UTC`.
 * An unreadable value comes back as it was (on one line), a missing one as "".
 *
 * @example
 * displayTime("2019-04-29T09:05:56.001Z") // → "2019-04-29 09:05:56 UTC"
 * displayTime("yesterday")                // → "yesterday"
 */
export function displayTime(value: string | undefined, timeZone?: string): string {
  const t = parseTime(value);
  if (t === undefined) return oneLine(value);
  if (timeZone !== undefined) return formatTime(new Date(t).toISOString(), timeZone);
  return `${new Date(t).toISOString().slice(0, 19).replace("T", " ")} UTC`;
}

/**
 * The event's labelled fields, in display order, leaving out what is absent or
 * blank. Session fields come from `session`, message fields from `from`, `to`
 * and `message`, whatever the type, so an unknown event shows what it carries.
 * Email and phone appear only with `includeContact`.
 *
 * @example
 * eventFields(view, { includeContact: false })
 * // → [{ label: "Session", value: "s1" }, { label: "User", value: "u1" }, …,
 * //    { label: "Note", value: "환불 요청", long: true }]
 */
export function eventFields(event: EventView, opts: { includeContact: boolean } & Spoken): Field[] {
  if (event.digest) return digestFields(event.digest, (iso) => displayTime(iso, opts.timeZone), opts.language);
  const fields: Field[] = [];
  const w = wordsFor(opts.language);
  const tz = opts.timeZone;
  const add = (label: string, value: string, long = false) => {
    if (value.trim() !== "") fields.push(long ? { label, value, long } : { label, value });
  };
  if (event.held && event.heldCount === undefined) {
    add(w.Happened, w.heldUntil(displayTime(event.held.acceptedAt, tz), displayTime(event.held.until, tz)));
  }
  const t = event.timer;
  if (t) {
    add(w.Timer, oneLine(`${t.name ?? ""}${t.after ? ` (${w.after(t.after)})` : ""}`));
    if (t.waitedSeconds !== undefined) add(w.Waited, formatWaited(t.waitedSeconds, opts.language));
  }
  if (event.session) addSession(event, event.session, opts, w, add);
  if (event.from) add(w.From, fromText(event, event.from, opts.names));
  if (event.to) {
    add(w.To, oneLine(event.to.name));
    add(w.ToId, party(event.to));
    if (opts.includeContact) {
      add(w.Email, oneLine(event.to.email));
      add(w.Phone, oneLine(event.to.phone));
    }
    if (opts.names) {
      add(w.CustomerTags, namesOf(opts.names, "userTags", event.to.tags));
      add(w.CustomerGroups, namesOf(opts.names, "userGroups", event.to.groups));
    }
  }
  const held = event.heldEvents;
  add(w.Message, held ? heldLines(held, event.heldCount ?? 0, opts) : multiLine(event.message?.content), true);
  return fields;
}

function addSession(
  event: EventView,
  s: SessionView,
  spoken: Spoken,
  w: Words,
  add: (label: string, value: string, long?: boolean) => void,
): void {
  const { names, timeZone } = spoken;
  add(w.Session, oneLine(s.id));
  add(w.User, oneLine(sessionUser(event, names)?.name) || oneLine(s.userId));
  add(w.Assignee, oneLine(`${s.assigneeType ?? ""} ${assigneeName(event, names) || (s.assigneeId ?? "")}`));
  add(w.Opened, displayTime(s.openTime, timeZone));
  add(w.InProgress, displayTime(s.inprogressTime, timeZone));
  add(w.Closed, displayTime(s.closeTime, timeZone));
  add(w.Duration, duration(s.openTime, s.closeTime));
  add(w.Categories, names ? categoryNames(names, s.categories) : list(s.categories));
  add(w.Tags, names ? namesOf(names, "sessionTags", s.tags) : list(s.tags));
  add(w.UserGroups, names ? namesOf(names, "userGroups", s.userGroups) : list(s.userGroups));
  add(w.Note, multiLine(s.note), true);
}

/** The sender: `agent 김민준` when resolved, else `type id`. */
function fromText(event: EventView, p: PartyView, names: Resolution | undefined): string {
  const name = senderName(event, names);
  return name ? oneLine(`${p.type ?? ""} ${name}`) : party(p);
}

/** `type id` of a party, e.g. `agent a1`. */
function party(p: PartyView): string {
  return oneLine(`${p.type ?? ""} ${p.id ?? ""}`);
}

function list(items: readonly string[]): string {
  return items
    .map(oneLine)
    .filter((s) => s !== "")
    .join(", ");
}

/**
 * The footer line every format ends with, so on-call can find a message's logs
 * by its triggerId: `Gitple · <type> · trigger <triggerId> · <appCode>`, on one line.
 *
 * @example
 * eventFooter(viewEvent(close)) // → "Gitple · session_state_close · trigger 5cc6c004… · acme-shop"
 */
export function eventFooter(event: EventView, names?: Resolution): string {
  const parts = ["Gitple", event.type, `trigger ${event.triggerId}`];
  if (event.appCode) parts.push(event.appCode);
  const ids = idsLine(event, names);
  if (ids !== "") parts.push(ids);
  return parts.map(oneLine).join(" · ");
}

/**
 * Free text with line endings normalised to `\n` and other control characters dropped.
 *
 * @example
 * multiLine("line 1\r\nline 2\u0007") // → "line 1\nline 2"
 */
export function multiLine(value: string | undefined): string {
  if (value === undefined) return "";
  return value
    .replace(/\r\n?/g, "\n")
    .replace(/[^\P{Cc}\n\t]/gu, "")
    .trim();
}

// ISO 8601 date-time as JavaScript's toISOString() writes it (what Gitple sends), offset optional.
const ISO_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/;

/** Milliseconds since the epoch; undefined unless the value is an ISO date-time of a day that exists. */
function parseTime(value: string | undefined): number | undefined {
  const m = value === undefined ? null : ISO_DATE_TIME.exec(value.trim());
  if (!m) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  // Date.parse rolls 31 February over to 3 March; such a day is garbage, not a time.
  if (month < 1 || month > 12 || new Date(Date.UTC(year, month - 1, day)).getUTCDate() !== day) return undefined;
  // Gitple's times are UTC: a time without an offset is read as UTC, never as the runtime's local time.
  const t = Date.parse(m[4] ? m[0] : `${m[0]}Z`);
  return Number.isNaN(t) ? undefined : t;
}
