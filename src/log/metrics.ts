/**
 * Counters in Workers Analytics Engine: one data point per event outcome, per
 * delivery outcome and per dead letter, queryable with the SQL API (docs/operations.md,
 * "Metrics"). The `METRICS` binding is optional: without it nothing is
 * counted and the relay works the same.
 *
 * Layout of a data point (keep it stable: saved queries depend on it):
 *
 *   index1   kind, the sampling key: "event" | "delivery" | "dead-letter"
 *   blob1    kind (again, so queries can group by it)
 *   blob2    event type
 *   blob3    destination ("" for events)
 *   blob4    outcome: event "accepted" | "duplicate" | "rejected";
 *            delivery "delivered" | "retry" | "failed" | "skipped" | "error"; dead-letter "dead"
 *   blob5    detail: the rejection reason ("signature_invalid"…), the routing
 *            outcome ("routed" | "fallback" | "unrouted"), or why a delivery was skipped
 *   blob6    appCode ("" when absent)
 *   double1  HTTP status (0 when none), double2 attempt, double3 duration in ms
 *
 * Trade-offs: writeDataPoint is fire-and-forget and Analytics Engine samples at
 * high volume, so count with `SUM(_sample_interval)`, never `COUNT()`. Only
 * names, types, outcomes and numbers go in: never an id, a URL or content
 * (ids would make every row unique and belong in the logs anyway).
 */

/** The part of `Env` this module uses; the binding may be absent. */
export interface MetricsEnv {
  readonly METRICS?: Pick<AnalyticsEngineDataset, "writeDataPoint">;
}

export type EventOutcome = "accepted" | "duplicate" | "rejected";
export type DeliveryOutcome = "delivered" | "retry" | "failed" | "skipped" | "error";

interface Point {
  kind: "event" | "delivery" | "dead-letter";
  type?: string;
  destination?: string;
  outcome: string;
  detail?: string;
  appCode?: string;
  status?: number | null;
  attempt?: number;
  durationMs?: number;
}

function write(env: MetricsEnv, p: Point): void {
  const dataset = env.METRICS;
  if (!dataset) return;
  try {
    dataset.writeDataPoint({
      indexes: [p.kind],
      blobs: [p.kind, p.type ?? "", p.destination ?? "", p.outcome, p.detail ?? "", p.appCode ?? ""],
      doubles: [p.status ?? 0, p.attempt ?? 0, p.durationMs ?? 0],
    });
  } catch {
    // Counting must never cost an event or a delivery.
  }
}

/**
 * Counts one answer to `POST /events`.
 *
 * @example
 * countEvent(env, { type: "session_state_close", outcome: "accepted", detail: "routed", appCode: "MY_APP" });
 * countEvent(env, { outcome: "rejected", detail: "signature_invalid" });
 */
export function countEvent(
  env: MetricsEnv,
  e: { type?: string; outcome: EventOutcome; detail?: string; appCode?: string; durationMs?: number },
): void {
  write(env, { kind: "event", ...e });
}

/**
 * Counts one delivery outcome (an attempt, or a copy skipped by the claim).
 *
 * @example
 * countDelivery(env, { type: "session_state_close", destination: "ops", outcome: "delivered", status: 200, attempt: 1, durationMs: 120 });
 */
export function countDelivery(
  env: MetricsEnv,
  d: {
    type: string;
    destination: string;
    outcome: DeliveryOutcome;
    detail?: string;
    appCode?: string;
    status?: number | null;
    attempt?: number;
    durationMs?: number;
  },
): void {
  write(env, { kind: "delivery", ...d });
}

/**
 * Counts one dead letter recorded.
 *
 * @example
 * countDeadLetter(env, { type: "session_state_close", destination: "ops", status: 404 });
 */
export function countDeadLetter(
  env: MetricsEnv,
  d: { type: string; destination: string; status: number | null; appCode?: string },
): void {
  write(env, { kind: "dead-letter", outcome: "dead", ...d });
}
