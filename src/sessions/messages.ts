/**
 * Per-session messages (issue 11): for each destination that follows a
 * session (`per_session` "update" or "thread"), the message it shows for the
 * session (its ref: Slack channel + ts, a Discord message id, a Google Chat
 * thread) and the state that message shows. One row per destination in the
 * session's SessionState object (object.ts), so (destination, appCode,
 * session id) names a row.
 *
 * `reserve` is the one gate a delivery passes before it sends: the first
 * caller gets `post` and a short hold; a concurrent caller gets `wait` until
 * the holder records its ref (so two first events make one parent message);
 * later callers get `update` with the ref, or `same` when their event is not
 * newer than what is shown (a late, duplicate or replayed event changes
 * nothing visible). Every send of the row holds it, updates included, so two
 * updates never land out of order. A hold lapses after its lease, so a
 * delivery that died mid-send never blocks the session for good.
 *
 * Trade-off: "newer" is the session's order open < inprogress < close, then
 * for two events of one state (a reassignment) the later `ctime`; an event of
 * the same state without a ctime never replaces what is shown.
 */
/** 0 nothing shown yet; 1 opened; 2 in progress; 3 closed. */
export type ShownState = 0 | 1 | 2 | 3;

/** What a destination keeps to find its message again (JSON in the row). */
export type MessageRef =
  | { readonly kind: "slack"; readonly channel: string; readonly ts: string }
  | { readonly kind: "discord"; readonly id: string }
  | { readonly kind: "google-chat"; readonly thread: string };

/** The event a delivery wants to show. */
export interface Wanted {
  readonly state: ShownState;
  readonly trigger: string;
  readonly ctime?: string;
}

export type Reservation =
  | { readonly action: "post" }
  | { readonly action: "update"; readonly ref: MessageRef; readonly shown: ShownState }
  | { readonly action: "same"; readonly shown: ShownState }
  | { readonly action: "wait"; readonly retryInMs: number };

/** The state of a session event type; 0 for an event that is not a session state. */
export function stateOf(type: string): ShownState {
  if (type === "session_state_open") return 1;
  if (type === "session_state_inprogress") return 2;
  if (type === "session_state_close") return 3;
  return 0;
}

const CREATE = `CREATE TABLE IF NOT EXISTS messages (
  destination TEXT PRIMARY KEY,
  ref TEXT,
  shown_state INTEGER NOT NULL DEFAULT 0,
  shown_trigger TEXT,
  shown_ctime TEXT,
  held_until INTEGER NOT NULL DEFAULT 0,
  updated_at INTEGER NOT NULL
)`;

interface Row {
  ref: string | null;
  shown_state: number;
  shown_trigger: string | null;
  shown_ctime: string | null;
  held_until: number;
  [key: string]: SqlStorageValue;
}

/** The longest a `wait` asks for, so a waiting delivery looks again soon. */
const MAX_WAIT_MS = 2000;

/** The part object.ts registers (its PARTS): the table, created once per object start. */
export const messagesPart = {
  create(sql: SqlStorage): void {
    sql.exec(CREATE);
  },
};

function rowOf(sql: SqlStorage, destination: string): Row | undefined {
  return sql
    .exec<Row>(
      "SELECT ref, shown_state, shown_trigger, shown_ctime, held_until FROM messages WHERE destination = ?",
      destination,
    )
    .toArray()[0];
}

/** Whether `wanted` shows something newer than the row. */
function isNewer(row: Row, wanted: Wanted): boolean {
  if (wanted.state !== row.shown_state) return wanted.state > row.shown_state;
  if (wanted.trigger === row.shown_trigger) return false;
  return wanted.ctime !== undefined && row.shown_ctime !== null && wanted.ctime > row.shown_ctime;
}

/**
 * The gate before a send (see the header). Holds the row for `leaseMs` on `post` and `update`.
 *
 * @example
 * reserve(sql, "support-app", { state: 1, trigger: "t1" }, 60_000, now) // → { action: "post" }
 * reserve(sql, "support-app", { state: 3, trigger: "t3" }, 60_000, now) // → { action: "wait", retryInMs: 2000 }
 */
export function reserve(
  sql: SqlStorage,
  destination: string,
  wanted: Wanted,
  leaseMs: number,
  now: number,
): Reservation {
  const row = rowOf(sql, destination);
  if (row && row.held_until > now) return { action: "wait", retryInMs: Math.min(row.held_until - now, MAX_WAIT_MS) };
  if (row?.ref && !isNewer(row, wanted)) return { action: "same", shown: row.shown_state as ShownState };
  sql.exec(
    `INSERT INTO messages (destination, held_until, updated_at) VALUES (?, ?, ?)
     ON CONFLICT(destination) DO UPDATE SET held_until = excluded.held_until`,
    destination,
    now + leaseMs,
    now,
  );
  if (!row?.ref) return { action: "post" };
  return { action: "update", ref: JSON.parse(row.ref) as MessageRef, shown: row.shown_state as ShownState };
}

/** After a send: the message's ref and what it now shows; the hold ends. */
export function record(sql: SqlStorage, destination: string, ref: MessageRef, shown: Wanted, now: number): void {
  sql.exec(
    `INSERT INTO messages (destination, ref, shown_state, shown_trigger, shown_ctime, held_until, updated_at)
     VALUES (?, ?, ?, ?, ?, 0, ?)
     ON CONFLICT(destination) DO UPDATE SET ref = excluded.ref, shown_state = excluded.shown_state,
       shown_trigger = excluded.shown_trigger, shown_ctime = excluded.shown_ctime, held_until = 0,
       updated_at = excluded.updated_at`,
    destination,
    JSON.stringify(ref),
    shown.state,
    shown.trigger,
    shown.ctime ?? null,
    now,
  );
}

/** After a failed send: the hold ends, nothing else changes. */
export function release(sql: SqlStorage, destination: string): void {
  sql.exec("UPDATE messages SET held_until = 0 WHERE destination = ?", destination);
}

/** What the row holds (tests, the console): ref and shown state, or undefined. */
export function shownOf(
  sql: SqlStorage,
  destination: string,
): { ref: MessageRef | null; state: ShownState; trigger: string | null } | undefined {
  const row = rowOf(sql, destination);
  if (!row) return undefined;
  return {
    ref: row.ref ? (JSON.parse(row.ref) as MessageRef) : null,
    state: row.shown_state as ShownState,
    trigger: row.shown_trigger,
  };
}
