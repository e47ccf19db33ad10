/**
 * Notices held for quiet hours (issue 14, docs/time.md): a SQLite Durable
 * Object per destination (HOLDS, named by the destination), holding the
 * queue messages the consumer found inside one of the destination's
 * `quiet_hours` windows, in the order they arrived, until the window ends.
 *
 * The consumer acks a message only after `hold` has stored it, so nothing
 * held is lost (deploys, restarts, a 60-hour weekend). The alarm is set to the
 * earliest `until`; alarms run at least once, so releasing is idempotent:
 * `defer` puts each held message back on DELIVERIES (marked `heldUntil`, so
 * the consumer sends it, with a line saying when it happened), one second
 * apart in arrival order, then deletes the rows; a crash in between re-sends,
 * and the claims keep each delivery to one. `digest` sends one message
 * listing the held events (at most 50, with a count of the rest) and marks
 * each held delivery delivered in its claim.
 */
import { DurableObject } from "cloudflare:workers";
import { DIGEST_LINES, heldLines } from "../format/describe.ts";
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

type Row = { seq: number; message: string; until: number; mode: string; summary: string };

export class DeliveryHolds extends DurableObject<Env> {
  private readonly sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    // `seq` is the rowid (no AUTOINCREMENT, which costs a sqlite_sequence row write per hold): each
    // new row gets the largest seq held + 1, so among the rows held seq is always the arrival order.
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
    await this.schedule();
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

  private async schedule(): Promise<void> {
    const next = this.sql.exec<{ at: number | null }>("SELECT MIN(until) AS at FROM held").one().at;
    if (next === null) await this.ctx.storage.deleteAlarm();
    else await this.ctx.storage.setAlarm(next);
  }

  override async alarm(): Promise<void> {
    const now = Date.now();
    const rows = this.sql
      .exec<Row>("SELECT seq, message, until, mode, summary FROM held WHERE until <= ? ORDER BY seq", now)
      .toArray();
    const byMode = (mode: string) => rows.filter((r) => r.mode === mode);
    await this.release(byMode("defer"));
    await this.digest(byMode("digest"));
    for (const row of rows) this.sql.exec("DELETE FROM held WHERE seq = ?", row.seq);
    await this.schedule();
  }

  private async release(rows: readonly Row[]): Promise<void> {
    if (rows.length === 0) return;
    const messages = rows.map((row, i): MessageSendRequest<DeliveryMessage> => {
      const m = JSON.parse(row.message) as DeliveryMessage;
      return {
        body: { ...m, heldUntil: new Date(row.until).toISOString() },
        contentType: "json",
        delaySeconds: Math.min(i, 43_200),
      };
    });
    for (let i = 0; i < messages.length; i += 100) await this.env.DELIVERIES.sendBatch(messages.slice(i, i + 100));
  }

  private async digest(rows: readonly Row[]): Promise<void> {
    const first = rows[0];
    if (!first) return;
    const m = JSON.parse(first.message) as DeliveryMessage;
    const until = new Date(first.until).toISOString();
    const summaries = rows.map((r) => JSON.parse(r.summary) as HeldSummary);
    const triggerId = `quiet:${m.destination}:${until}`;
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
