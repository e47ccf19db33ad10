/**
 * Timers of one session (issue 14, docs/time.md): the `timers` table of the
 * session's object (src/sessions/object.ts) and what its alarm does.
 *
 * One row per timer name: `armed` (next_fire_at set), `stopped` (a stop event
 * came, before or after the start) or `done` (every notice sent). A start arms
 * a row only if none exists, so a duplicate or replayed start, or a start
 * after a stop, changes nothing: at most once per (timer, session). The row
 * keeps what a fire needs (the arm's spec and the session as the start event
 * showed it), so firing reads no config; a destination removed since is
 * dead-lettered by the consumer as for any other delivery.
 *
 * Firing `n` puts one message per destination on DELIVERIES with the trigger
 * id `timer:<name>:<session>:<n>`: the claims make each exactly once per
 * destination even when the alarm runs twice (at-least-once) or a crash
 * comes between the send and the row's update. The body is deterministic per
 * firing (the waited time is the scheduled one), so a retried fire is the
 * same notice. The wait counts from the start event's session time (`since`:
 * its openTime), at most `after` back, so a timer is never due before it is set.
 *
 * Storage operations: an arm or a stop is one row write; each firing one read
 * and one write, the session row's last change (bench/ counts them), one call
 * to each digest the session counted in when the timer was set (src/digests:
 * it counts the firing) and the notice's record in its claim object.
 */

import { digestFor } from "../digest-figures/stub.ts";
import { enqueueNotice } from "../storage/notice.ts";
import type { SessionTimerNote, TimerArm } from "./timer-note.ts";

export const TIMERS_TABLE = `CREATE TABLE IF NOT EXISTS timers (
  name TEXT PRIMARY KEY,
  state TEXT NOT NULL,
  started_at INTEGER,
  next_fire_at INTEGER,
  fired INTEGER NOT NULL DEFAULT 0,
  stop_seen INTEGER NOT NULL DEFAULT 0,
  spec TEXT,
  body TEXT
)`;

/** A timer notice's body, as the consumer reads it (src/event/view.ts `timer`). */
export interface TimerNotice {
  readonly type: "timer";
  readonly triggerId: string;
  readonly appCode?: string;
  readonly ctime: string;
  readonly timer: {
    readonly name: string;
    readonly after: string;
    readonly waitedSeconds: number;
    readonly firing: number;
    readonly urgent: boolean;
  };
  readonly session: unknown;
}

/** What a row shows (runInDurableObject tests, the console later). */
export interface TimerRow {
  name: string;
  state: "armed" | "stopped" | "done";
  started_at: number | null;
  next_fire_at: number | null;
  fired: number;
  stop_seen: number;
}

type StoredRow = TimerRow & { spec: string | null; body: string | null };

interface StoredBody {
  appCode?: string;
  sessionId: string;
  session: unknown;
}

/**
 * Records an event's starts and stops at `now`.
 *
 * @example
 * noteTimers(sql, { start: [arm], stop: [], appCode: "acme", sessionId: "s1", session }, Date.now());
 */
export function noteTimers(sql: SqlStorage, note: SessionTimerNote, now: number): void {
  for (const name of note.stop) {
    sql.exec(
      `INSERT INTO timers (name, state, stop_seen) VALUES (?, 'stopped', 1)
       ON CONFLICT(name) DO UPDATE SET stop_seen = 1,
         state = CASE WHEN state = 'armed' THEN 'stopped' ELSE state END,
         next_fire_at = CASE WHEN state = 'armed' THEN NULL ELSE next_fire_at END`,
      name,
    );
  }
  const body: StoredBody = { appCode: note.appCode, sessionId: note.sessionId, session: note.session };
  for (const arm of note.start) {
    if (note.stop.includes(arm.name)) continue;
    // The wait counts from the session's own time (a late-delivered open), at most `after` back: never due in the past.
    const from = Math.min(now, Math.max(now - arm.afterMs, note.since ?? now));
    sql.exec(
      `INSERT INTO timers (name, state, started_at, next_fire_at, fired, stop_seen, spec, body)
       VALUES (?, 'armed', ?, ?, 0, 0, ?, ?) ON CONFLICT(name) DO NOTHING`,
      arm.name,
      from,
      from + arm.afterMs,
      JSON.stringify(arm),
      JSON.stringify(body),
    );
  }
}

/** The rows, by name (tests and diagnostics). */
export function timerRows(sql: SqlStorage): TimerRow[] {
  return sql
    .exec<Record<string, SqlStorageValue>>(
      "SELECT name, state, started_at, next_fire_at, fired, stop_seen FROM timers ORDER BY name",
    )
    .toArray() as unknown as TimerRow[];
}

/** The SessionState part (src/sessions/object.ts PARTS). */
export const timersPart = {
  create(sql: SqlStorage): void {
    sql.exec(TIMERS_TABLE);
  },
  nextAt(sql: SqlStorage): number | null {
    const row = sql
      .exec<{ at: number | null }>("SELECT MIN(next_fire_at) AS at FROM timers WHERE state = 'armed'")
      .toArray()[0];
    return row?.at ?? null;
  },
  async due(sql: SqlStorage, env: Env, now: number): Promise<boolean> {
    const rows = sql
      .exec<Record<string, SqlStorageValue>>(
        "SELECT * FROM timers WHERE state = 'armed' AND next_fire_at <= ? ORDER BY next_fire_at",
        now,
      )
      .toArray() as unknown as StoredRow[];
    for (const row of rows) await fire(sql, env, row, now);
    return rows.length > 0;
  },
};

/** Sends firing `fired + 1` of a row, then records it (only if nothing else changed the row meanwhile). */
async function fire(sql: SqlStorage, env: Env, row: StoredRow, now: number): Promise<void> {
  const arm = JSON.parse(row.spec ?? "{}") as TimerArm;
  const stored = JSON.parse(row.body ?? "{}") as StoredBody;
  const firing = row.fired + 1;
  const startedAt = row.started_at ?? now;
  const at = row.next_fire_at ?? now;
  const notice: TimerNotice = {
    type: "timer",
    triggerId: `timer:${arm.name}:${stored.sessionId}:${firing}`,
    ...(stored.appCode !== undefined && { appCode: stored.appCode }),
    ctime: new Date(at).toISOString(),
    timer: {
      name: arm.name,
      after: arm.after,
      waitedSeconds: Math.round((at - startedAt) / 1000),
      firing,
      urgent: arm.urgent === true,
    },
    session: stored.session,
  };
  await enqueueNotice(env, notice, arm.destinations);
  // The digests this session counted for when the timer was set count the firing (a failure only misses a count).
  for (const name of arm.digests ?? []) {
    await digestFor(env, name)
      .note(name, { kind: "timer", at })
      .catch(() => undefined);
  }
  const next = firing < arm.firings && arm.repeatMs > 0 ? startedAt + arm.afterMs + firing * arm.repeatMs : null;
  sql.exec(
    `UPDATE timers SET fired = ?,
       next_fire_at = CASE WHEN state = 'armed' THEN ? ELSE NULL END,
       state = CASE WHEN state = 'armed' AND ? IS NULL THEN 'done' ELSE state END
     WHERE name = ? AND fired = ?`,
    firing,
    next,
    next,
    row.name,
    row.fired,
  );
}
