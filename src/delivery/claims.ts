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
 * Rows are deleted 30 days after the event's last change.
 */
import { DurableObject } from "cloudflare:workers";
import { RETENTION_SECONDS } from "../config/shared.ts";

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
  updatedAt: string;
}

/** As long as a dead letter is kept, so a replay finds its pair to reopen. */
const RETENTION_MS = RETENTION_SECONDS * 1000;

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
};

export class DeliveryClaims extends DurableObject<Env> {
  private readonly sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.sql.exec(`CREATE TABLE IF NOT EXISTS deliveries (
      destination TEXT PRIMARY KEY,
      state TEXT NOT NULL,
      lease_until INTEGER NOT NULL DEFAULT 0,
      attempts INTEGER NOT NULL DEFAULT 0,
      last_status INTEGER,
      last_reason TEXT,
      updated_at INTEGER NOT NULL,
      not_before INTEGER NOT NULL DEFAULT 0
    )`);
    migrate(this.sql);
  }

  private row(destination: string): Row | undefined {
    return this.sql.exec<Row>("SELECT * FROM deliveries WHERE destination = ?", destination).toArray()[0];
  }

  private touch(): void {
    void this.ctx.storage.setAlarm(Date.now() + RETENTION_MS);
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
    this.touch();
    return { outcome: "claimed", attempt: attempts + 1 };
  }

  /** Marks the pair delivered: every later copy acks without posting. */
  delivered(destination: string, status: number): void {
    this.sql.exec(
      "UPDATE deliveries SET state = 'delivered', lease_until = 0, last_status = ?, last_reason = NULL, updated_at = ? WHERE destination = ?",
      status,
      Date.now(),
      destination,
    );
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
    this.touch();
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
    this.touch();
    return true;
  }

  /** Every destination's state, for the admin API. An attempt in flight is `queued` on the first attempt, `retrying` after. */
  states(): DeliveryRow[] {
    return this.sql
      .exec<Row>("SELECT * FROM deliveries ORDER BY destination")
      .toArray()
      .map((r) => ({
        destination: r.destination,
        state: r.state === "claimed" ? (r.attempts > 1 ? "retrying" : "queued") : r.state,
        attempts: r.attempts,
        lastStatus: r.last_status,
        lastReason: r.last_reason,
        updatedAt: new Date(r.updated_at).toISOString(),
      }));
  }

  override async alarm(): Promise<void> {
    const live = this.sql
      .exec<{ n: number }>("SELECT count(*) AS n FROM deliveries WHERE state IN ('claimed', 'retrying', 'queued')")
      .one().n;
    if (live > 0) await this.ctx.storage.setAlarm(Date.now() + RETENTION_MS);
    else await this.ctx.storage.deleteAll();
  }
}

/**
 * Brings a table created by an older version up to date: objects created
 * before `not_before` existed get the column (0: no wait). Idempotent.
 */
function migrate(sql: SqlStorage): void {
  const columns = sql.exec<{ name: string }>("PRAGMA table_info(deliveries)").toArray();
  if (!columns.some((c) => c.name === "not_before")) {
    sql.exec("ALTER TABLE deliveries ADD COLUMN not_before INTEGER NOT NULL DEFAULT 0");
  }
}

/** The claim object of one event. */
export function claimsFor(env: Pick<Env, "CLAIMS">, eventKey: string): DurableObjectStub<DeliveryClaims> {
  return env.CLAIMS.get(env.CLAIMS.idFromName(eventKey)) as DurableObjectStub<DeliveryClaims>;
}
