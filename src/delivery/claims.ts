/**
 * Second layer of "nothing twice": a SQLite-backed Durable Object per event
 * (named by its eventKey) that holds one row per destination.
 *
 * Queues deliver at least once and production consumers run concurrently, and
 * KV has no compare-and-set, so before posting, the consumer claims the
 * (event, destination) pair here with a lease. A Durable Object runs one call
 * at a time and these methods never await between reading and writing, so a
 * claim is atomic: a concurrent or redelivered copy finds the row `claimed`
 * (it backs off until the lease ends) or `delivered`/`dead` (it acks and posts
 * nothing). A consumer that dies mid-post leaves a lease that expires, and the
 * queue's redelivery claims again.
 *
 * What it cannot close: a post that succeeded but whose `delivered` mark never
 * reached this object (the isolate died in between) is posted again after the
 * lease. That window is one round trip wide.
 *
 * A failed attempt that will be retried leaves `not_before`, the earliest
 * time of the next attempt (the backoff, or the receiver's Retry-After): every
 * copy of the delivery that arrives sooner is `busy` until then, not only the
 * one the consumer retried with that delay. The retried copy itself arrives
 * at about `not_before`, so a claim up to NOT_BEFORE_SLACK_MS early passes:
 * clocks of the queue, the consumer and this object may differ a little.
 *
 * The row also keeps the attempt count and last status, because a message
 * that Queues moves on its own loses them; the admin API reads them back.
 *
 * It is also the event's delivery record (issue 13; before, a RELAY_STATE
 * record per event): the ingest writes a `queued` row per destination with its
 * queue message, its routed position and the accept time (`accept`), so
 * `GET /admin/deliveries` reads the event from here (`lookup`), and the alarm
 * re-enqueues a delivery whose message was lost (src/delivery/pending.ts).
 * Rows are deleted 30 days after the event's last change.
 *
 * Cost (docs/cost.md): new objects make the table WITHOUT ROWID, so a row is
 * one SQLite row written, not a row and its primary-key index entry; a claim
 * sets no alarm when the accept has set one.
 */
import { DurableObject } from "cloudflare:workers";
import type { DeliveryMessage } from "../storage/delivery-message.ts";
import type { DeliveryStateObject, RecordedEvent } from "../storage/delivery-state.ts";
import { ALARM_SLACK_MS, nextAlarm, RETENTION_MS, resendOverdue, scheduleAlarm } from "./pending.ts";

export type DeliveryState = "queued" | "claimed" | "retrying" | "delivered" | "dead";

export type ClaimResult =
  | { outcome: "claimed"; attempt: number }
  | { outcome: "busy"; retryInMs: number; why: "leased" | "backoff" }
  | { outcome: "delivered" }
  | { outcome: "dead" }
  | { outcome: "exhausted"; attempts: number; lastStatus: number | null; lastReason: string | null };

/** What the admin API shows: `claimed` is internal (an attempt in flight) and reads as `queued` or `retrying`. */
export type PublicDeliveryState = Exclude<DeliveryState, "claimed">;

export interface DeliveryRow {
  destination: string;
  state: PublicDeliveryState;
  attempts: number;
  lastStatus: number | null;
  lastReason: string | null;
  /** Null while nothing has happened since the accept. */
  updatedAt: string | null;
}

/** How early a claim may come before `not_before` and still pass (clock skew between queue, consumer and object). */
export const NOT_BEFORE_SLACK_MS = 1000;

type Row = {
  destination: string;
  state: DeliveryState;
  lease_until: number;
  not_before: number;
  attempts: number;
  last_status: number | null;
  last_reason: string | null;
  updated_at: number;
  message: string | null;
  accepted_at: number;
  position: number;
};

/** Rows kept after a deploy: every column added since v1, with its default. */
const ADDED_COLUMNS = [
  ["not_before", "INTEGER NOT NULL DEFAULT 0"],
  ["message", "TEXT"],
  ["accepted_at", "INTEGER NOT NULL DEFAULT 0"],
  ["position", "INTEGER NOT NULL DEFAULT 0"],
] as const;

export class DeliveryClaims extends DurableObject<Env> implements DeliveryStateObject {
  private readonly sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.create();
  }

  /** Set once deleteAll() has dropped the table: the next call makes it again. */
  private dropped = false;

  private create(): void {
    this.sql.exec(`CREATE TABLE IF NOT EXISTS deliveries (
      destination TEXT PRIMARY KEY,
      state TEXT NOT NULL,
      lease_until INTEGER NOT NULL DEFAULT 0,
      attempts INTEGER NOT NULL DEFAULT 0,
      last_status INTEGER,
      last_reason TEXT,
      updated_at INTEGER NOT NULL,
      not_before INTEGER NOT NULL DEFAULT 0,
      message TEXT,
      accepted_at INTEGER NOT NULL DEFAULT 0,
      position INTEGER NOT NULL DEFAULT 0
    ) WITHOUT ROWID`);
    migrate(this.sql);
    this.dropped = false;
  }

  /** Forgets the event: storage and alarm. The object may still be asked again (it then starts empty). */
  private async forget(): Promise<void> {
    await this.ctx.storage.deleteAll();
    this.dropped = true;
  }

  private ensure(): void {
    if (this.dropped) this.create();
  }

  /**
   * The ingest's record of the event: a `queued` row per destination with its
   * message (kept for a re-enqueue), in routed order; then the alarm. A claim
   * that came first keeps its state.
   */
  async accept(messages: readonly DeliveryMessage[]): Promise<void> {
    this.ensure();
    const now = Date.now();
    messages.forEach((m, position) => {
      this.sql.exec(
        `INSERT INTO deliveries (destination, state, updated_at, message, accepted_at, position) VALUES (?, 'queued', 0, ?, ?, ?)
         ON CONFLICT(destination) DO UPDATE SET message = excluded.message, accepted_at = excluded.accepted_at,
           position = excluded.position`,
        m.destination,
        JSON.stringify(m),
        now,
        position,
      );
    });
    await scheduleAlarm(this.ctx.storage, this.sql, now);
  }

  /** The event as recorded here, for the admin API; null (and nothing kept) when this object knows no event. */
  async lookup(): Promise<RecordedEvent | null> {
    this.ensure();
    const rows = this.sql.exec<Row>("SELECT * FROM deliveries ORDER BY position, destination").toArray();
    if (rows.length === 0) {
      // Asking created the object: leave nothing behind.
      await this.forget();
      return null;
    }
    const first = rows.find((r) => r.message !== null);
    const m = first?.message ? (JSON.parse(first.message) as DeliveryMessage) : undefined;
    return {
      event: m
        ? {
            triggerId: m.triggerId,
            appCode: m.appCode,
            type: m.type,
            acceptedAt: m.acceptedAt,
            destinations: rows.filter((r) => r.message !== null).map((r) => r.destination),
          }
        : null,
      deliveries: this.states(),
    };
  }

  private row(destination: string): Row | undefined {
    this.ensure();
    return this.sql.exec<Row>("SELECT * FROM deliveries WHERE destination = ?", destination).toArray()[0];
  }

  private touch(): void {
    void this.ctx.storage.setAlarm(Date.now() + RETENTION_MS);
  }

  /**
   * Moves the alarm if the rows need it (src/delivery/pending.ts), without
   * waiting, so the methods stay synchronous (atomic) as the claim needs:
   * the decision is made on the rows as they are now.
   */
  private schedule(): void {
    void scheduleAlarm(this.ctx.storage, this.sql, Date.now());
  }

  /** Claims the pair for one attempt of at most `leaseMs`, unless it is done, dead, held by another, or out of attempts. */
  claim(destination: string, leaseMs: number, maxAttempts: number): ClaimResult {
    const now = Date.now();
    const row = this.row(destination);
    if (row?.state === "delivered") return { outcome: "delivered" };
    if (row?.state === "dead") return { outcome: "dead" };
    if (row?.state === "claimed" && row.lease_until > now) {
      return { outcome: "busy", retryInMs: row.lease_until - now, why: "leased" };
    }
    if (row?.state === "retrying" && row.not_before - NOT_BEFORE_SLACK_MS > now) {
      return { outcome: "busy", retryInMs: row.not_before - now, why: "backoff" };
    }
    const attempts = row?.attempts ?? 0;
    if (attempts >= maxAttempts) {
      return {
        outcome: "exhausted",
        attempts,
        lastStatus: row?.last_status ?? null,
        lastReason: row?.last_reason ?? null,
      };
    }
    this.sql.exec(
      `INSERT INTO deliveries (destination, state, lease_until, attempts, updated_at) VALUES (?, 'claimed', ?, 1, ?)
       ON CONFLICT(destination) DO UPDATE SET state = 'claimed', lease_until = excluded.lease_until, not_before = 0,
         attempts = attempts + 1, updated_at = excluded.updated_at`,
      destination,
      now + leaseMs,
      now,
    );
    // A row the ingest recorded has its alarm; one it did not (older, or its accept was lost) keeps the object alive.
    if (!row?.message) this.touch();
    return { outcome: "claimed", attempt: attempts + 1 };
  }

  /** Marks the pair delivered: every later copy acks without posting. */
  delivered(destination: string, status: number): void {
    this.ensure();
    this.sql.exec(
      "UPDATE deliveries SET state = 'delivered', lease_until = 0, last_status = ?, last_reason = NULL, updated_at = ? WHERE destination = ?",
      status,
      Date.now(),
      destination,
    );
    this.schedule();
  }

  /**
   * Quiet hours hold the pair until `until` (src/delivery/quiet.ts): its grace check
   * moves to `until` + GRACE_MS, so the alarm re-sends nothing during the hold, and
   * a release that was lost is re-sent after it, with its held line (`heldUntil`).
   */
  held(destination: string, until: number): void {
    this.ensure();
    this.sql.exec(
      "UPDATE deliveries SET not_before = MAX(not_before, ?), message = json_set(message, '$.heldUntil', ?) WHERE destination = ? AND state IN ('queued', 'retrying')",
      until,
      new Date(until).toISOString(),
      destination,
    );
  }

  /** Marks the pair delivered by another message (a quiet-hours digest), unless it is delivered, dead or in flight. */
  deliveredBy(destination: string): void {
    if (this.claim(destination, 60_000, Number.MAX_SAFE_INTEGER).outcome === "claimed")
      this.delivered(destination, 200);
  }

  /**
   * Records a failed attempt and releases the claim; `dead` ends the pair for
   * good (until a replay). A retry waits `retryInMs` (the consumer's decision):
   * no copy claims the pair before then.
   *
   * @example
   * claims.failed("main-slack", { status: 429, reason: "HTTP 429", dead: false, retryInMs: 3_600_000 })
   * claims.claim("main-slack", 60_000, 12) // → { outcome: "busy", retryInMs: 3_600_000, why: "backoff" }
   */
  failed(
    destination: string,
    failure: { status: number | null; reason: string; dead: boolean; retryInMs?: number },
  ): void {
    this.ensure();
    const now = Date.now();
    const notBefore = failure.dead ? 0 : now + Math.max(0, failure.retryInMs ?? 0);
    this.sql.exec(
      `INSERT INTO deliveries (destination, state, lease_until, not_before, attempts, last_status, last_reason, updated_at)
       VALUES (?, ?, 0, ?, 0, ?, ?, ?)
       ON CONFLICT(destination) DO UPDATE SET state = excluded.state, lease_until = 0, not_before = excluded.not_before,
         last_status = excluded.last_status, last_reason = excluded.last_reason, updated_at = excluded.updated_at`,
      destination,
      failure.dead ? "dead" : "retrying",
      notBefore,
      failure.status,
      failure.reason,
      now,
    );
    this.schedule();
  }

  /** Opens a dead pair again with a fresh attempt count (dead-letter replay). False when it is not dead. */
  reopen(destination: string): boolean {
    const row = this.row(destination);
    if (row && row.state !== "dead") return false;
    const now = Date.now();
    this.sql.exec(
      `INSERT INTO deliveries (destination, state, lease_until, attempts, updated_at) VALUES (?, 'queued', 0, 0, ?)
       ON CONFLICT(destination) DO UPDATE SET state = 'queued', lease_until = 0, not_before = 0, attempts = 0,
         updated_at = excluded.updated_at`,
      destination,
      now,
    );
    this.schedule();
    return true;
  }

  /** Every destination's state, for the admin API. An attempt in flight is `queued` on the first attempt, `retrying` after. */
  states(): DeliveryRow[] {
    this.ensure();
    return this.sql
      .exec<Row>("SELECT * FROM deliveries ORDER BY destination")
      .toArray()
      .map((r) => ({
        destination: r.destination,
        state: r.state === "claimed" ? (r.attempts > 1 ? "retrying" : "queued") : r.state,
        attempts: r.attempts,
        lastStatus: r.last_status,
        lastReason: r.last_reason,
        updatedAt: r.updated_at > 0 ? new Date(r.updated_at).toISOString() : null,
      }));
  }

  /** Re-enqueues what is overdue (src/delivery/pending.ts), then sets the next alarm, or forgets the event. */
  override async alarm(): Promise<void> {
    this.ensure();
    const now = Date.now();
    await resendOverdue(this.sql, this.env.DELIVERIES, now);
    const next = nextAlarm(this.sql, now);
    if (!next.pending && next.at <= now + ALARM_SLACK_MS) await this.forget();
    else await this.ctx.storage.setAlarm(Math.max(next.at, now + 1000));
  }
}

/**
 * Brings a table created by an older version up to date: each column added
 * since gets its default (not_before 0: no wait; no message: never
 * re-enqueued). Idempotent; a table of this version needs no change.
 */
function migrate(sql: SqlStorage): void {
  const columns = new Set(
    sql
      .exec<{ name: string }>("PRAGMA table_info(deliveries)")
      .toArray()
      .map((c) => c.name),
  );
  for (const [name, type] of ADDED_COLUMNS) {
    if (!columns.has(name)) sql.exec(`ALTER TABLE deliveries ADD COLUMN ${name} ${type}`);
  }
}

/** The claim object of one event. */
export function claimsFor(env: Pick<Env, "CLAIMS">, eventKey: string): DurableObjectStub<DeliveryClaims> {
  return env.CLAIMS.get(env.CLAIMS.idFromName(eventKey)) as DurableObjectStub<DeliveryClaims>;
}
