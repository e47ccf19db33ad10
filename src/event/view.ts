/**
 * A normalised, read-only view of a Gitple event.
 *
 * Gitple sends plain JSON (see docs/gitple-events.md): session events
 * carry `session.{id, tags, categories, userGroups, …}`, `send_external_message`
 * carries `from`, `to` and `message`. Nothing here trusts the shape: a string
 * field that holds a number is stringified, anything else non-string is absent;
 * a list field keeps only its string/number items (a lone string becomes a list
 * of one), so hostile or odd payloads never throw in routing or formatting.
 * Every string is made well-formed: JSON's `\u` escapes can spell a lone
 * surrogate (`"\ud800"`), which is not Unicode; it becomes U+FFFD here, once,
 * so no formatter sends text a receiver may refuse or mangle.
 * The view is built once per event and shared by routing and every formatter.
 */

export interface SessionView {
  id?: string;
  openTime?: string;
  inprogressTime?: string;
  closeTime?: string;
  reason?: string;
  userId?: string;
  assigneeType?: string;
  assigneeId?: string;
  note?: string;
  userGroups: string[];
  categories: string[];
  tags: string[];
}

export interface PartyView {
  type?: string;
  id?: string;
  identifier?: string;
  name?: string;
  email?: string;
  phone?: string;
  lang?: string;
  tags: string[];
  groups: string[];
  /** The customer's own keys (`to.meta`), values as strings; objects and lists are dropped. */
  meta: Record<string, string>;
}

export interface MessageView {
  type?: string;
  content?: string;
}

/** A timer notice's own part (type "timer", src/sessions/timers.ts): which timer, how long the session waited. */
export interface TimerView {
  name?: string;
  after?: string;
  waitedSeconds?: number;
  firing?: number;
  urgent: boolean;
}

/** One held notice a quiet-hours digest lists (src/holds/object.ts): its type, time, session, tags, the note's first line. */
export interface HeldView {
  type?: string;
  at?: string;
  session?: string;
  tags: readonly string[];
  note?: string;
}

/** A scheduled digest's figures (type "digest", src/digest-figures/figures.ts `DigestFigures`), read defensively. */
export interface DigestView {
  name: string;
  from?: string;
  to?: string;
  opened: number;
  closed: number;
  reasons: [string, number][];
  /** Busiest tags and categories: the name, else the id. */
  tags: [string, number][];
  categories: [string, number][];
  assign: (number | undefined)[];
  longest: { seconds: number; session: string; link?: string }[];
  handle: (number | undefined)[];
  timers: number;
  dead: number;
}

export interface EventView {
  type: string;
  triggerId: string;
  appCode?: string;
  ctime?: string;
  session?: SessionView;
  from?: PartyView;
  to?: PartyView;
  message?: MessageView;
  timer?: TimerView;
  /** A delivery quiet hours held (set by the consumer from the queue message): when it was accepted, until when held. */
  held?: { acceptedAt: string; until: string };
  /** A quiet-hours digest (type "quiet_digest"): how many held notices it stands for… */
  heldCount?: number;
  /** …and the first of them (at most 50), which its message lists. */
  heldEvents?: HeldView[];
  digest?: DigestView;
}

/** Longest list kept from a payload; more items are dropped (routing and display never need 10,000 tags). */
export const MAX_LIST_ITEMS = 1000;

type Obj = Record<string, unknown>;

function isObject(v: unknown): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** A string field: strings (well-formed), finite numbers and booleans stringified, anything else absent. */
export function str(v: unknown): string | undefined {
  if (typeof v === "string") return v.toWellFormed();
  if (typeof v === "number" && Number.isFinite(v)) return String(v);
  if (typeof v === "boolean") return String(v);
  return undefined;
}

/** A list field: string items of an array (numbers stringified), or a lone string as a list of one. */
export function strList(v: unknown): string[] {
  if (typeof v === "string") return [v.toWellFormed()];
  if (!Array.isArray(v)) return [];
  const out: string[] = [];
  for (const item of v) {
    const s =
      typeof item === "string"
        ? item.toWellFormed()
        : typeof item === "number" && Number.isFinite(item)
          ? String(item)
          : undefined;
    if (s !== undefined) out.push(s);
    if (out.length >= MAX_LIST_ITEMS) break;
  }
  return out;
}

function session(v: unknown): SessionView | undefined {
  if (!isObject(v)) return undefined;
  return {
    id: str(v.id),
    openTime: str(v.openTime),
    inprogressTime: str(v.inprogressTime),
    closeTime: str(v.closeTime),
    reason: str(v.reason),
    userId: str(v.userId),
    assigneeType: str(v.assigneeType),
    assigneeId: str(v.assigneeId),
    note: str(v.note),
    userGroups: strList(v.userGroups),
    categories: strList(v.categories),
    tags: strList(v.tags),
  };
}

function party(v: unknown): PartyView | undefined {
  if (!isObject(v)) return undefined;
  return {
    type: str(v.type),
    id: str(v.id),
    identifier: str(v.identifier),
    name: str(v.name),
    email: str(v.email),
    phone: str(v.phone),
    lang: str(v.lang),
    tags: strList(v.tags),
    groups: strList(v.groups),
    meta: metaOf(v.meta),
  };
}

/** At most this many meta keys are kept (routing compares a handful). */
const MAX_META_KEYS = 100;

function metaOf(v: unknown): Record<string, string> {
  const out: Record<string, string> = Object.create(null);
  if (!isObject(v)) return out;
  let count = 0;
  for (const [key, value] of Object.entries(v)) {
    const s = str(value);
    if (s === undefined) continue;
    out[key.toWellFormed()] = s;
    if (++count >= MAX_META_KEYS) break;
  }
  return out;
}

function message(v: unknown): MessageView | undefined {
  if (!isObject(v)) return undefined;
  return { type: str(v.type), content: str(v.content) };
}

function timer(v: unknown): TimerView | undefined {
  if (!isObject(v)) return undefined;
  const seconds = typeof v.waitedSeconds === "number" && Number.isFinite(v.waitedSeconds) ? v.waitedSeconds : undefined;
  const firing = typeof v.firing === "number" && Number.isFinite(v.firing) ? v.firing : undefined;
  return { name: str(v.name), after: str(v.after), waitedSeconds: seconds, firing, urgent: v.urgent === true };
}

const num = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) ? v : undefined);
const count = (v: unknown): number => num(v) ?? 0;
const list = (v: unknown): Obj[] => (Array.isArray(v) ? v.filter(isObject).slice(0, 20) : []);
const counted = (v: unknown): [string, number][] =>
  list(v).map((c) => [str(c.name) ?? str(c.id) ?? "", count(c.count)]);

function digest(d: Obj): DigestView {
  const o = (v: unknown): Obj => (isObject(v) ? v : {});
  const [period, sessions, first, handling] = [o(d.period), o(d.sessions), o(d.firstAssignment), o(d.handling)];
  return {
    name: str(d.digest) ?? "",
    from: str(period.from),
    to: str(period.to),
    opened: count(sessions.opened),
    closed: count(sessions.closed),
    reasons: Object.entries(o(d.closedByReason))
      .slice(0, 100)
      .map(([k, n]) => [k.toWellFormed(), count(n)]),
    tags: counted(d.tags),
    categories: counted(d.categories),
    assign: [num(first.medianSeconds), num(first.p90Seconds)],
    longest: list(first.longest).map((l) => ({
      seconds: count(l.seconds),
      session: str(l.session) ?? "",
      ...(str(l.link) && { link: str(l.link) }),
    })),
    handle: [num(handling.medianSeconds), num(handling.p90Seconds)],
    timers: count(d.timersFired),
    dead: count(d.deadLetters),
  };
}

/**
 * Builds the view of an already-parsed event whose `type` and `triggerId` were
 * checked by the ingest parser.
 *
 * @example
 * viewEvent({ type: "session_state_close", triggerId: "t1", session: { tags: ["vip", 3] } })
 * // → { type: "session_state_close", triggerId: "t1", session: { tags: ["vip", "3"], … } }
 */
export function viewEvent(raw: Obj & { type: string; triggerId: string }): EventView {
  return {
    type: raw.type.toWellFormed(),
    triggerId: raw.triggerId.toWellFormed(),
    appCode: str(raw.appCode),
    ctime: str(raw.ctime),
    session: session(raw.session),
    from: party(raw.from),
    to: party(raw.to),
    message: message(raw.message),
    ...(raw.type === "timer" && isObject(raw.timer) && { timer: timer(raw.timer) }),
    ...(raw.type === "quiet_digest" &&
      isObject(raw.held) &&
      typeof raw.held.count === "number" && {
        heldCount: raw.held.count,
        heldEvents: (Array.isArray(raw.held.events) ? raw.held.events.slice(0, 50) : []).filter(isObject).map((e) => ({
          type: str(e.type),
          at: str(e.at),
          session: str(e.session),
          tags: strList(e.tags),
          note: str(e.note),
        })),
      }),
    ...(raw.type === "digest" && isObject(raw.digest) && { digest: digest(raw.digest) }),
  };
}
