/**
 * Notices held for quiet hours (issue 14, docs/time.md): a SQLite Durable
 * Object per destination (HOLDS, named by the destination), holding the
 * queue messages the consumer found inside one of the destination's
 * `quiet_hours` windows until the window ends.
 *
 * The consumer acks a message only after `hold` has stored it, so nothing
 * held is lost (deploys, restarts, a 60-hour weekend). The alarm is set to the
 * earliest `until`; alarms run at least once, so releasing is idempotent.
 * `defer` releases in the order the events were accepted, one at a time, so
 * it does not rely on Queues keeping an order: the alarm puts the first held
 * message back on DELIVERIES (marked `heldUntil`, so the consumer sends it,
 * with a line saying when it happened), and once the consumer has made its
 * attempt it calls `next`, which deletes that row and sends the next one. A
 * release lost on the way is sent again by the alarm every TURN_MS; the
 * claims keep each delivery to one. `digest` sends one message listing the
 * held events (at most 50, with a count of the rest) and marks each held
 * delivery delivered in its claim. A failing queue does not lose the rows:
 * the alarm logs it and comes back later, backing off.
 *
 * Cost, measured (cursor rowsRead / rowsWritten) for N held in one window,
 * N = 1,000: a hold writes 2 rows (the row, its event_key index entry) and
 * reads none: it moves the alarm only to an earlier `until`, where a
 * `MIN(until)` per hold read 500,500 rows in all (no index) or 1,000 with an
 * index on `until`, which costs 1,000 more rows written. At $0.001 per million
 * rows read and $1.00 per million written, no index was cheaper up to ~2,000
 * held; with no read at hold, no index is cheaper at any N. The release reads
 * the rows left at each step (the next in accepted order): about N² rows,
 * 1 million at N = 1,000 ($0.001).
 */
import { DurableObject } from "cloudflare:workers";
import { DIGEST_LINES, heldLines } from "../format/describe.ts";
import { errorText, log } from "../log/log.ts";
import type { DeliveryMessage } from "../storage/delivery-message.ts";
import { deliveredByDigest } from "../storage/delivery-state.ts";
import { eventKey } from "../storage/event-key.ts";

/** What a digest line shows of one held notice. */
export interface HeldSummary {
  readonly type: string;
  readonly at: string;
  readonly session?: string;
  readonly tags: readonly string[];
  readonly note?: string;
}

type Row = { seq: number; event_key: string; message: string; until: number; mode: string; summary: string };

/** While released deliveries wait their turn, how often the alarm sends the current one again (lost on the way?). */
const TURN_MS = 5 * 60_000;

export class DeliveryHolds extends DurableObject<Env> {
  private readonly sql: SqlStorage;
  /** Alarms failed in a row (the backoff), since this instance started. */
  private fails = 0;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    // `seq` is the rowid (no AUTOINCREMENT, which costs a sqlite_sequence row write per hold).
    this.sql.exec(`CREATE TABLE IF NOT EXISTS held (
      seq INTEGER PRIMARY KEY,
      event_key TEXT NOT NULL UNIQUE,
      message TEXT NOT NULL,
      until INTEGER NOT NULL,
      mode TEXT NOT NULL,
      summary TEXT NOT NULL
    )`);
  }

  /** Holds a delivery until `until` (once per event); durable when it resolves. */
  async hold(message: DeliveryMessage, until: number, mode: "defer" | "digest", summary: HeldSummary): Promise<void> {
    this.sql.exec(
      "INSERT INTO held (event_key, message, until, mode, summary) VALUES (?, ?, ?, ?, ?) ON CONFLICT(event_key) DO NOTHING",
      message.eventKey,
      JSON.stringify(message),
      until,
      mode,
      JSON.stringify(summary),
    );
    const at = await this.ctx.storage.getAlarm();
    if (at === null || until < at) await this.ctx.storage.setAlarm(until);
  }

  /** Until when an event's delivery is held here, or null (GET /admin/deliveries). */
  heldUntil(key: string): number | null {
    return (
      this.sql.exec<{ until: number }>("SELECT until FROM held WHERE event_key = ?", key).toArray()[0]?.until ?? null
    );
  }

  /** How many deliveries are held (tests, diagnostics). */
  count(): number {
    return this.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM held").one().n;
  }

  /** The held rows due at `now`, in the order their events were accepted. */
  private due(now: number): Row[] {
    return this.sql
      .exec<Row>("SELECT * FROM held WHERE until <= ? ORDER BY json_extract(message, '$.acceptedAt'), seq", now)
      .toArray();
  }

  /** Puts a held message back on the queue, marked released (`heldUntil`). */
  private async send(row: Row | undefined): Promise<void> {
    if (!row) return;
    const m = JSON.parse(row.message) as DeliveryMessage;
    await this.env.DELIVERIES.send({ ...m, heldUntil: new Date(row.until).toISOString() }, { contentType: "json" });
  }

  /** The consumer has made its attempt at a released delivery (src/delivery/quiet.ts): the next one goes. */
  async next(key: string): Promise<void> {
    if (this.sql.exec("DELETE FROM held WHERE event_key = ?", key).rowsWritten === 0) return;
    await this.send(this.due(Date.now()).find((r) => r.mode === "defer"));
  }

  override async alarm(): Promise<void> {
    const now = Date.now();
    try {
      const rows = this.due(now);
      const digest = rows.filter((r) => r.mode === "digest");
      await this.digest(digest);
      for (const row of digest) this.sql.exec("DELETE FROM held WHERE seq = ?", row.seq);
      await this.send(rows.find((r) => r.mode === "defer"));
      this.fails = 0;
      // The next window's end, or (while released ones wait their turn) TURN_MS from now.
      const at = this.sql
        .exec<{ at: number | null }>("SELECT MIN(IIF(until <= ?, ?, until)) AS at FROM held", now, now + TURN_MS)
        .one().at;
      await (at === null ? this.ctx.storage.deleteAlarm() : this.ctx.storage.setAlarm(at));
    } catch (e) {
      const retryInSeconds = Math.min(60 * 2 ** this.fails++, 3600);
      log("error", "held deliveries not released; will retry", {
        outcome: "error",
        error: errorText(e),
        retryInSeconds,
      });
      await this.ctx.storage.setAlarm(now + retryInSeconds * 1000);
    }
  }

  private async digest(rows: readonly Row[]): Promise<void> {
    const first = rows[0];
    if (!first) return;
    const m = JSON.parse(first.message) as DeliveryMessage;
    const until = new Date(first.until).toISOString();
    const summaries = rows.map((r) => JSON.parse(r.summary) as HeldSummary);
    // One per release, the same for an alarm run again over the same rows: how many, and the last listed.
    const triggerId = `quiet:${m.destination}:${until}:${rows.length}.${rows.at(-1)?.event_key.slice(0, 12)}`;
    const body = {
      type: "quiet_digest",
      triggerId,
      ...(m.appCode !== undefined && { appCode: m.appCode }),
      ctime: until,
      held: { count: summaries.length, until, events: summaries.slice(0, DIGEST_LINES) },
      // In English, in UTC, for a webhook; the chat and email kinds list `events` in the destination's language.
      message: { content: heldLines(summaries, summaries.length) },
    };
    const key = await eventKey(m.appCode, triggerId);
    const notice: DeliveryMessage = {
      v: 1,
      eventKey: key,
      triggerId,
      ...(m.appCode !== undefined && { appCode: m.appCode }),
      type: "quiet_digest",
      destination: m.destination,
      rules: [],
      acceptedAt: new Date().toISOString(),
      payload: { inline: JSON.stringify(body) },
      heldUntil: until,
    };
    await this.env.DELIVERIES.send(notice, { contentType: "json" });
    // Each held notice counts as delivered by the digest.
    for (const row of rows) {
      const held = JSON.parse(row.message) as DeliveryMessage;
      await deliveredByDigest(this.env, held.eventKey, held.destination);
    }
  }
}

/** The holding object of one destination. */
export function holdsFor(env: Pick<Env, "HOLDS">, destination: string): DurableObjectStub<DeliveryHolds> {
  return env.HOLDS.get(env.HOLDS.idFromName(destination)) as DurableObjectStub<DeliveryHolds>;
}
