/**
 * What the relay remembers about one Gitple session: a SQLite Durable Object
 * per (appCode, session id), named by src/sessions/stub.ts. It is the one
 * owner of per-session state, shared by the features that need it: the
 * message each destination shows for the session (per_session "update" or
 * "thread", src/sessions/messages.ts) and the timers that fire when the next
 * event is late (src/sessions/timers.ts). Each part owns its own table and
 * exports its CREATE statement; this class only creates them, serves their
 * methods, and runs the one alarm an object has.
 *
 * One alarm per object: it is set to the earliest time any part needs
 * (`nextAt`), or to the retention deadline when nothing is due. Alarms run at
 * least once, so every part's `due` must be idempotent. A part that throws
 * (the queue or KV down) is logged and does not stop the others; the handler
 * then re-arms the alarm itself with a backoff (30 s doubling to an hour)
 * rather than rely on the runtime's few alarm retries, so nothing due is
 * lost. A Durable Object runs one call at a time and these methods do not await between reading and
 * writing their rows, so each read-modify-write is atomic.
 *
 * Retention: the object forgets the session 30 days after its last change
 * (`session.touched_at`, which a timer's firing moves too), never while a
 * part still needs the alarm (a timer armed, repeats to come); a closed
 * session keeps its rows that long, so a late or replayed event still finds
 * the message it must update.
 */
import { DurableObject } from "cloudflare:workers";
import { RETENTION_SECONDS } from "../config/shared.ts";
import { errorText, log } from "../log/log.ts";
import {
  type MessageRef,
  messagesPart,
  type Reservation,
  record,
  release,
  reserve,
  shownOf,
  type Wanted,
} from "./messages.ts";
import type { SessionTimerNote } from "./timer-note.ts";
import { noteTimers, type TimerRow, timerRows, timersPart } from "./timers.ts";

/** One part of the session's state: its table(s), and the work its schedule makes due. */
export interface SessionPart {
  /** Creates (and migrates) the part's tables; idempotent. */
  create(sql: SqlStorage): void;
  /** The earliest time (ms) this part needs the alarm, or null. */
  nextAt?(sql: SqlStorage): number | null;
  /** Does what is due at `now`, true when it did anything; must be idempotent (alarms are at-least-once). */
  due?(sql: SqlStorage, env: Env, now: number): Promise<boolean>;
}

/** The parts, in the order their work runs when several are due at once. */
const PARTS: readonly SessionPart[] = [messagesPart, timersPart];

const RETENTION_MS = RETENTION_SECONDS * 1000;

export class SessionState extends DurableObject<Env> {
  protected readonly sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.create();
  }

  private create(): void {
    this.sql.exec(
      "CREATE TABLE IF NOT EXISTS session (id INTEGER PRIMARY KEY CHECK (id = 1), touched_at INTEGER NOT NULL)",
    );
    for (const part of PARTS) part.create(this.sql);
  }

  /** Records a change now and sets the alarm to what is due first. Call after every write. */
  protected async touch(): Promise<void> {
    this.mark(Date.now());
    await this.schedule();
  }

  private mark(at: number): void {
    this.sql.exec(
      "INSERT INTO session (id, touched_at) VALUES (1, ?) ON CONFLICT(id) DO UPDATE SET touched_at = excluded.touched_at",
      at,
    );
  }

  private touched(): number | undefined {
    return this.sql.exec<{ t: number }>("SELECT touched_at AS t FROM session WHERE id = 1").toArray()[0]?.t;
  }

  /** The earliest time a part needs the alarm; undefined when none does. */
  private nextDue(): number | undefined {
    let at: number | undefined;
    for (const part of PARTS) {
      const next = part.nextAt?.(this.sql) ?? undefined;
      if (next !== undefined && (at === undefined || next < at)) at = next;
    }
    return at;
  }

  /** The alarm at the earliest time a part needs, else at the retention deadline. */
  protected async schedule(): Promise<void> {
    await this.ctx.storage.setAlarm(this.nextDue() ?? (this.touched() ?? Date.now()) + RETENTION_MS);
  }

  /** Alarms that failed in a row (this instance): the next try waits 30 s, doubling up to an hour. */
  private failures = 0;

  override async alarm(): Promise<void> {
    const now = Date.now();
    // Each part on its own: one failing (the queue or KV down) neither stops the others nor relies on the
    // runtime's few alarm retries; the object re-arms itself with a backoff and tries again until it works.
    let failed = false;
    let worked = false;
    for (const part of PARTS) {
      try {
        if (await part.due?.(this.sql, this.env, now)) worked = true;
      } catch (e) {
        failed = true;
        log("error", "session alarm failed", { outcome: "retry", error: errorText(e) });
      }
    }
    if (failed) return void (await this.ctx.storage.setAlarm(now + Math.min(3_600_000, 30_000 * 2 ** this.failures++)));
    this.failures = 0;
    // A firing is a change: retention counts from it. Nothing is forgotten while a part still needs the alarm.
    if (worked) this.mark(now);
    const touched = this.touched();
    if (this.nextDue() === undefined && (touched === undefined || touched + RETENTION_MS <= now)) {
      await this.ctx.storage.deleteAll();
      // Empty tables again: a late event to this live instance starts afresh.
      return this.create();
    }
    await this.schedule();
  }

  // --- per-session messages (issue 11): methods that call src/sessions/messages.ts go here -------------

  /** The gate before a destination sends for this session (messages.ts `reserve`). */
  async reserveMessage(destination: string, wanted: Wanted, leaseMs: number): Promise<Reservation> {
    const reservation = reserve(this.sql, destination, wanted, leaseMs, Date.now());
    if (reservation.action === "post" || reservation.action === "update") await this.touch();
    return reservation;
  }

  /** After a send: the message's ref and what it shows now. */
  async recordMessage(destination: string, ref: MessageRef, shown: Wanted): Promise<void> {
    record(this.sql, destination, ref, shown, Date.now());
    await this.touch();
  }

  /** After a failed send: the hold ends. */
  releaseMessage(destination: string): void {
    release(this.sql, destination);
  }

  /** What a destination's row holds (tests, the console). */
  shownMessage(destination: string): ReturnType<typeof shownOf> {
    return shownOf(this.sql, destination);
  }

  // --- timers (issue 14): methods that call src/sessions/timers.ts go here -------------------------------

  /** Arms the timers an event starts (once per timer) and stops the ones it stops; durable when it resolves. */
  async noteTimers(note: SessionTimerNote): Promise<void> {
    noteTimers(this.sql, note, Date.now());
    await this.touch();
  }

  /** The session's timers (tests, diagnostics). */
  timers(): TimerRow[] {
    return timerRows(this.sql);
  }
}
