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
import type { EventView, PartyView, SessionView, TimerView } from "../event/view.ts";
import type { Resolution } from "../gitple/resolve.ts";
import { assigneeName, categoryNames, idsLine, namesOf, senderName, sessionUser } from "./people.ts";
import { formatTime } from "./time.ts";

/** What names and zone a message is shown with (a Speech's part that fields need). */
export interface Spoken {
  readonly names?: Resolution;
  readonly timeZone?: string;
}

import { digestFields, digestTitle } from "./digest.ts";
import { formatWaited } from "./waited.ts";

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
 * A one-line title: `Session opened`, `Session assigned`, `Session closed (userCancel)`
 * (Gitple's own reason code, as sent), `Message from agent a1`, or `Gitple event: <type>`.
 *
 * @example
 * eventTitle(viewEvent({ type: "session_state_close", triggerId: "t", session: { reason: "userCancel" } }))
 * // → "Session closed (userCancel)"
 */
export function eventTitle(event: EventView, spoken: Spoken = {}): string {
  if (event.timer) return timerTitle(event.timer, event.session);
  if (event.digest) return digestTitle(event.digest);
  if (event.heldCount !== undefined) {
    return `Held during quiet hours: ${event.heldCount} notice${event.heldCount === 1 ? "" : "s"}`;
  }
  const kind = eventKind(event.type);
  switch (kind) {
    case "opened":
      return "Session opened";
    case "assigned":
      return "Session assigned";
    case "closed": {
      const reason = oneLine(event.session?.reason);
      return reason ? `Session closed (${reason})` : "Session closed";
    }
    case "message sent": {
      const who = senderName(event, spoken.names) || oneLine(event.from?.id);
      return oneLine(`Message from ${oneLine(event.from?.type) || "agent"} ${who}`);
    }
    case "unknown":
      return oneLine(`Gitple event: ${oneLine(event.type)}`);
  }
}

/**
 * A timer notice's title (issue 14): `Waiting 5 min: session s1`.
 *
 * @example
 * eventTitle(viewEvent({ type: "timer", triggerId: "timer:t:s1:1", timer: { waitedSeconds: 300 }, session: { id: "s1" } }))
 * // → "Waiting 5 min: session s1"
 */
function timerTitle(timer: TimerView, session: SessionView | undefined): string {
  const waited = timer.waitedSeconds === undefined ? "" : ` ${formatWaited(timer.waitedSeconds)}`;
  const id = oneLine(session?.id);
  return oneLine(`Waiting${waited}${id ? `: session ${id}` : ""}`);
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
  if (event.digest) return digestFields(event.digest, (iso) => displayTime(iso, opts.timeZone));
  const fields: Field[] = [];
  const add = (label: string, value: string, long = false) => {
    if (value.trim() !== "") fields.push(long ? { label, value, long } : { label, value });
  };
  if (event.held && event.heldCount === undefined) {
    add(
      "Happened",
      `${displayTime(event.held.acceptedAt, opts.timeZone)} (held for quiet hours until ${displayTime(event.held.until, opts.timeZone)})`,
    );
  }
  if (event.timer) {
    add("Timer", oneLine(`${event.timer.name ?? ""}${event.timer.after ? ` (after ${event.timer.after})` : ""}`));
    if (event.timer.waitedSeconds !== undefined) add("Waited", formatWaited(event.timer.waitedSeconds));
  }
  if (event.session) addSession(event, event.session, opts, add);
  if (event.from) add("From", fromText(event, event.from, opts.names));
  if (event.to) {
    add("To", oneLine(event.to.name));
    add("To id", party(event.to));
    if (opts.includeContact) {
      add("Email", oneLine(event.to.email));
      add("Phone", oneLine(event.to.phone));
    }
    if (opts.names) {
      add("Customer tags", namesOf(opts.names, "userTags", event.to.tags));
      add("Customer groups", namesOf(opts.names, "userGroups", event.to.groups));
    }
  }
  add("Message", multiLine(event.message?.content), true);
  return fields;
}

function addSession(
  event: EventView,
  s: SessionView,
  spoken: Spoken,
  add: (label: string, value: string, long?: boolean) => void,
): void {
  const { names, timeZone } = spoken;
  add("Session", oneLine(s.id));
  add("User", oneLine(sessionUser(event, names)?.name) || oneLine(s.userId));
  add("Assignee", oneLine(`${s.assigneeType ?? ""} ${assigneeName(event, names) || (s.assigneeId ?? "")}`));
  add("Opened", displayTime(s.openTime, timeZone));
  add("In progress", displayTime(s.inprogressTime, timeZone));
  add("Closed", displayTime(s.closeTime, timeZone));
  add("Duration", duration(s.openTime, s.closeTime));
  add("Categories", names ? categoryNames(names, s.categories) : list(s.categories));
  add("Tags", names ? namesOf(names, "sessionTags", s.tags) : list(s.tags));
  add("User groups", names ? namesOf(names, "userGroups", s.userGroups) : list(s.userGroups));
  add("Note", multiLine(s.note), true);
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
 * Whitespace and control characters (CR, LF, tabs…) collapsed to single spaces, trimmed.
 *
 * @example
 * oneLine("Kim\r\n*Email*\tx") // → "Kim *Email* x"
 */
export function oneLine(value: string | undefined): string {
  return value === undefined ? "" : value.replace(/[\s\p{Cc}]+/gu, " ").trim();
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
