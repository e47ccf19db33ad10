/**
 * "Nothing stuck": the claim Durable Object's alarm, worked out on its rows
 * (src/delivery/claims.ts). Queues redeliver what was not acknowledged, but a
 * message can still be lost for good (a consumer bug, past the queue's
 * retention, a restart of the local queue, which keeps its messages in
 * memory). Each row the ingest recorded keeps its queue message, so the object
 * notices a delivery that is due and has seen no attempt for `GRACE_MS`, and
 * puts the message on the queue again. The claim keeps that from posting twice
 * when the original was only late.
 *
 * When a delivery is due: a queued one when it was accepted (or re-queued);
 * one in flight when its lease ends; a retrying one at its `not_before`; one
 * held for quiet hours at the window's end (`not_before`, src/delivery/claims.ts `held`).
 *
 * The one alarm an object has serves two purposes: while anything is pending,
 * the earliest such check; once nothing is, the retention deadline (30 days
 * after the last change, then the object forgets the event). A delivered event
 * costs no extra alarm: when the last delivery ends, the alarm set at accept
 * moves to the retention deadline, where one alarm ran before this existed too.
 * Rows without a message (written before this, or whose accept was lost) are
 * left to the queue as before: they keep the object alive, never re-enqueued.
 */
import { RETENTION_SECONDS } from "../config/shared.ts";
import { log } from "../log/log.ts";

/** How long a due delivery may go without an attempt before its message is queued again. */
export const GRACE_MS = 15 * 60 * 1000;
export const RETENTION_MS = RETENTION_SECONDS * 1000;
/** An alarm this close to the wanted time is not moved (each setAlarm is a billed write). */
export const ALARM_SLACK_MS = 60 * 1000;

type Row = {
  destination: string;
  state: string;
  lease_until: number;
  not_before: number;
  updated_at: number;
  accepted_at: number;
  message: string | null;
};

const PENDING = new Set(["queued", "claimed", "retrying"]);

const rows = (sql: SqlStorage): Row[] =>
  sql
    .exec<Row>("SELECT destination, state, lease_until, not_before, updated_at, accepted_at, message FROM deliveries")
    .toArray();

/** When the delivery was last due or touched: the grace period runs from there. */
const dueAt = (r: Row): number => Math.max(r.accepted_at, r.updated_at, r.lease_until, r.not_before);

export interface NextAlarm {
  /** When the alarm should run. */
  readonly at: number;
  /** True while a delivery is pending (`at` is a check); false when `at` is the retention deadline. */
  readonly pending: boolean;
}

/**
 * The alarm the rows want: the earliest grace check of a pending delivery, or
 * the retention deadline (at or before `now`: the object may forget the event).
 */
export function nextAlarm(sql: SqlStorage, now: number): NextAlarm {
  let check = Number.POSITIVE_INFINITY;
  let untracked = false;
  let last = 0;
  for (const r of rows(sql)) {
    last = Math.max(last, r.updated_at, r.accepted_at);
    if (!PENDING.has(r.state)) continue;
    if (r.message === null) untracked = true;
    else check = Math.min(check, dueAt(r) + GRACE_MS);
  }
  if (check !== Number.POSITIVE_INFINITY) return { at: check, pending: true };
  // Pending rows the object cannot re-enqueue keep it alive, as they always did.
  if (untracked) return { at: now + RETENTION_MS, pending: true };
  return { at: last + RETENTION_MS, pending: false };
}

/**
 * Sets the alarm the rows want, unless the one set will do: while something
 * is pending an earlier alarm is fine (it runs, finds nothing due and moves
 * itself), so only an earlier need moves it; the retention deadline is set once.
 */
export async function scheduleAlarm(storage: DurableObjectStorage, sql: SqlStorage, now = Date.now()): Promise<void> {
  const next = nextAlarm(sql, now);
  const current = await storage.getAlarm();
  if (current !== null && (next.pending ? current <= next.at : Math.abs(current - next.at) < ALARM_SLACK_MS)) return;
  await storage.setAlarm(Math.max(next.at, now));
}

/**
 * Queues again every pending delivery that is due and has had no attempt for
 * `GRACE_MS`; resolves to how many. Throws when the queue fails (the alarm is retried).
 */
export async function resendOverdue(sql: SqlStorage, queue: Queue, now: number): Promise<number> {
  let sent = 0;
  for (const r of rows(sql)) {
    if (!PENDING.has(r.state) || r.message === null || dueAt(r) + GRACE_MS > now) continue;
    const message = JSON.parse(r.message) as { triggerId?: string; type?: string };
    await queue.send(message, { contentType: "json" });
    sql.exec("UPDATE deliveries SET updated_at = ? WHERE destination = ?", now, r.destination);
    log("warn", "delivery re-enqueued", {
      triggerId: message.triggerId,
      type: message.type,
      destination: r.destination,
      outcome: "re-enqueued",
      state: r.state,
    });
    sent++;
  }
  return sent;
}
