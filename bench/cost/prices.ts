// Cloudflare's prices and Free plan limits the cost bench uses: the one place
// they are kept. Looked up on 2026-12-02 on the pages named beside each group;
// check them again before relying on a figure (prices change).
//
// Free plan: daily limits (reset 00:00 UTC); an operation past one fails.
// Paid plan: the price per million past the monthly amounts the $5/month
// Workers Paid subscription includes (the bench prices each extra million
// events, so the included amounts are left out).
export const PRICES_DATE = "2026-12-02";
/** The Workers Paid subscription, US$ a month. */
export const PAID_SUBSCRIPTION = 5;

export interface Meter {
  /** What is counted, as the bench's tally names it (bench/cost/workerd/counting.ts). */
  readonly label: string;
  /** Free plan: how many a day. */
  readonly freePerDay: number;
  /** Paid plan: US$ per million past the included amount. */
  readonly paidPerMillion: number;
  /** Paid plan: how many a month the subscription includes. */
  readonly paidIncludedPerMonth: number;
  readonly page: string;
}

const WORKERS = "https://developers.cloudflare.com/workers/platform/pricing/";
const KV =
  "https://developers.cloudflare.com/kv/platform/pricing/ (free limits: https://developers.cloudflare.com/kv/platform/limits/)";
const QUEUES = "https://developers.cloudflare.com/queues/platform/pricing/";
const DO = "https://developers.cloudflare.com/durable-objects/platform/pricing/";
const AE = "https://developers.cloudflare.com/analytics/analytics-engine/pricing/";

/**
 * Meters by name. Notes on what is counted where:
 * - Workers requests: fetch invocations and queue consumer invocations (one per batch) alike.
 * - Queue operations: a write, a read and a delete per message, each per 64 KB started; a retry is another read.
 * - Durable Object requests: each RPC call on a stub and each alarm run.
 * - Rows written: SQLite rows from the cursors' rowsWritten, plus each setAlarm() (billed as a row written).
 * Not priced: CPU time (the relay's own work is about 0.2 ms per event, $0.02 per million CPU ms),
 * Durable Object duration (objects answer in milliseconds and hibernate), storage (GB-months).
 */
export const METERS = {
  workersRequests: {
    label: "Workers requests",
    freePerDay: 100_000,
    paidPerMillion: 0.3,
    paidIncludedPerMonth: 10_000_000,
    page: WORKERS,
  },
  kvReads: {
    label: "Workers KV reads",
    freePerDay: 100_000,
    paidPerMillion: 0.5,
    paidIncludedPerMonth: 10_000_000,
    page: KV,
  },
  kvWrites: {
    label: "Workers KV writes",
    freePerDay: 1_000,
    paidPerMillion: 5,
    paidIncludedPerMonth: 1_000_000,
    page: KV,
  },
  kvDeletes: {
    label: "Workers KV deletes",
    freePerDay: 1_000,
    paidPerMillion: 5,
    paidIncludedPerMonth: 1_000_000,
    page: KV,
  },
  kvLists: {
    label: "Workers KV lists",
    freePerDay: 1_000,
    paidPerMillion: 5,
    paidIncludedPerMonth: 1_000_000,
    page: KV,
  },
  queueOps: {
    label: "Queues operations",
    freePerDay: 10_000,
    paidPerMillion: 0.4,
    paidIncludedPerMonth: 1_000_000,
    page: QUEUES,
  },
  doRequests: {
    label: "Durable Objects requests",
    freePerDay: 100_000,
    paidPerMillion: 0.15,
    paidIncludedPerMonth: 1_000_000,
    page: DO,
  },
  sqlRowsRead: {
    label: "Durable Objects SQLite rows read",
    freePerDay: 5_000_000,
    paidPerMillion: 0.001,
    paidIncludedPerMonth: 25_000_000_000,
    page: DO,
  },
  sqlRowsWritten: {
    label: "Durable Objects SQLite rows written",
    freePerDay: 100_000,
    paidPerMillion: 1,
    paidIncludedPerMonth: 50_000_000,
    page: DO,
  },
  dataPoints: {
    label: "Analytics Engine data points",
    freePerDay: 100_000,
    paidPerMillion: 0.25,
    paidIncludedPerMonth: 10_000_000,
    page: AE,
  },
} as const satisfies Record<string, Meter>;

export type MeterName = keyof typeof METERS;
