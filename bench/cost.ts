// Part 5 of the benchmark: what one event costs on Cloudflare's bill. Runs the
// scenarios of bench/cost/workerd/scenarios.test.ts (the relay's own handlers
// in workerd, every billed binding wrapped by a counting proxy; see
// bench/cost/vitest.config.ts), reads the operations per event they counted,
// and prices them with bench/cost/prices.ts: events per day within the Free
// plan's daily limits (one destination each), and US$ per million events on
// Workers Paid past its included amounts (two destinations each).
import { spawn } from "node:child_process";
import { METERS, type MeterName, PAID_SUBSCRIPTION, PRICES_DATE } from "./cost/prices.ts";

/** What the scenarios count per event (bench/cost/workerd/counting.ts's Tally). */
export type Tally = Record<
  | "fetchInvocations"
  | "queueInvocations"
  | "kvReads"
  | "kvWrites"
  | "kvDeletes"
  | "kvLists"
  | "queueWrites"
  | "queueReads"
  | "queueDeletes"
  | "doRequests"
  | "doAlarms"
  | "sqlRowsRead"
  | "sqlRowsWritten"
  | "alarmSets"
  | "dataPoints",
  number
>;

export const SCENARIOS = {
  one: "1 destination",
  two: "2 destinations",
  retry: "2 destinations, one retry",
  dead: "2 destinations, one dead letter",
  dropped: "1 destination, queue message lost",
  unrouted: "matched no destination",
  deferred: "1 destination, held for quiet hours, then deferred",
  digested: "1 destination, held for quiet hours, 10 in one digest",
  digest: "1 destination, a close one digest counts",
} as const;
export type ScenarioName = keyof typeof SCENARIOS;

export interface Cost {
  readonly events: number;
  readonly perEvent: Record<ScenarioName, Tally>;
  readonly freePlan: { eventsPerDay: number; limitedBy: string };
  readonly paidPlan: { dollarsPerMillion: number; byMeter: Record<MeterName, number> };
  /** The other reading: a month of one million events, past the included amounts (the subscription not counted). */
  readonly paidMonthOfAMillion: number;
  readonly pricesDate: string;
}

/** The billed meters of one event's tally. */
export function meters(t: Tally): Record<MeterName, number> {
  return {
    workersRequests: t.fetchInvocations + t.queueInvocations,
    kvReads: t.kvReads,
    kvWrites: t.kvWrites,
    kvDeletes: t.kvDeletes,
    kvLists: t.kvLists,
    queueOps: t.queueWrites + t.queueReads + t.queueDeletes,
    doRequests: t.doRequests,
    sqlRowsRead: t.sqlRowsRead,
    sqlRowsWritten: t.sqlRowsWritten + t.alarmSets,
    dataPoints: t.dataPoints,
  };
}

/** Events a day within every Free plan daily limit, and the limit reached first. */
export function freePlan(t: Tally): { eventsPerDay: number; limitedBy: string } {
  let best = { eventsPerDay: Number.POSITIVE_INFINITY, limitedBy: "nothing" };
  for (const [name, used] of Object.entries(meters(t)) as [MeterName, number][]) {
    if (used <= 0) continue;
    const n = Math.floor(METERS[name].freePerDay / used);
    if (n < best.eventsPerDay) {
      best = {
        eventsPerDay: n,
        limitedBy: `${METERS[name].label}, ${METERS[name].freePerDay.toLocaleString("en-US")}/day`,
      };
    }
  }
  return best;
}

/** US$ per million events past the included amounts, in total and by meter. */
export function paidPlan(t: Tally): { dollarsPerMillion: number; byMeter: Record<MeterName, number> } {
  const byMeter = Object.fromEntries(
    (Object.entries(meters(t)) as [MeterName, number][]).map(([name, used]) => [
      name,
      used * METERS[name].paidPerMillion,
    ]),
  ) as Record<MeterName, number>;
  const total = Object.values(byMeter).reduce((a, b) => a + b, 0);
  return { dollarsPerMillion: Math.round(total * 100) / 100, byMeter };
}

/** US$ for a month of `events` events past what the subscription includes (the subscription itself not counted). */
export function paidMonth(t: Tally, events: number): number {
  let total = 0;
  for (const [name, used] of Object.entries(meters(t)) as [MeterName, number][]) {
    const m = METERS[name];
    total += (Math.max(0, used * events - m.paidIncludedPerMonth) / 1e6) * m.paidPerMillion;
  }
  return Math.round(total * 100) / 100;
}

/** Runs the scenarios (a vitest run of their own, about half a minute) and prices them. */
export async function measureCost({ progress }: { progress: (line: string) => void }): Promise<Cost> {
  progress("cost: counting every billed operation per event (bench/cost/workerd)…");
  const output = await new Promise<string>((resolve, reject) => {
    const child = spawn("npx", ["vitest", "run", "--config", "bench/cost/vitest.config.ts", "--silent=false"], {
      stdio: ["ignore", "pipe", "pipe"],
      env: {
        ...process.env,
        WRANGLER_SEND_METRICS: "false",
        CLOUDFLARE_CF_FETCH_ENABLED: "false",
        WRANGLER_HIDE_BANNER: "true",
      },
    });
    let text = "";
    child.stdout.on("data", (c) => (text += c));
    child.stderr.on("data", (c) => (text += c));
    child.on("error", reject);
    child.on("exit", (code) =>
      code === 0 ? resolve(text) : reject(new Error(`the cost scenarios failed:\n${text.slice(-4000)}`)),
    );
  });
  const line = /COST_RESULT (\{.*\})/.exec(output)?.[1];
  if (!line) throw new Error(`no COST_RESULT line in the cost scenarios' output:\n${output.slice(-4000)}`);
  const { events, results } = JSON.parse(line) as { events: number; results: Record<ScenarioName, Tally> };
  return {
    events,
    perEvent: results,
    freePlan: freePlan(results.one),
    paidPlan: paidPlan(results.two),
    paidMonthOfAMillion: paidMonth(results.two, 1_000_000),
    pricesDate: PRICES_DATE,
  };
}

const ROWS: [keyof Tally, string][] = [
  ["fetchInvocations", "Worker invocations: fetch"],
  ["queueInvocations", "Worker invocations: queue (batches)"],
  ["kvReads", "KV reads"],
  ["kvWrites", "KV writes"],
  ["kvDeletes", "KV deletes"],
  ["kvLists", "KV lists"],
  ["queueWrites", "Queue writes (per 64 KB)"],
  ["queueReads", "Queue reads (per 64 KB)"],
  ["queueDeletes", "Queue deletes (per 64 KB)"],
  ["doRequests", "Durable Object requests (alarms incl.)"],
  ["doAlarms", "  of which alarm runs"],
  ["sqlRowsRead", "SQLite rows read"],
  ["sqlRowsWritten", "SQLite rows written"],
  ["alarmSets", "setAlarm calls (billed as rows written)"],
  ["dataPoints", "Analytics Engine data points"],
];

/** The operations-per-event table and the two lines scripts read. */
export function costTable(c: Cost): string[] {
  const names = Object.keys(SCENARIOS) as ScenarioName[];
  const rows = [
    `5. Cost: operations per accepted event (${c.events} events per scenario, counted by wrapped bindings)`,
  ];
  rows.push(`   ${"".padEnd(42)}${names.map((n) => n.padStart(10)).join("")}`);
  for (const [key, label] of ROWS) {
    rows.push(
      `   ${label.padEnd(42)}${names.map((n) => String(Number(c.perEvent[n][key].toFixed(2))).padStart(10)).join("")}`,
    );
  }
  rows.push(`   scenarios: ${names.map((n) => `${n} = ${SCENARIOS[n]}`).join("; ")}`);
  rows.push(
    `   prices and limits of ${c.pricesDate} (bench/cost/prices.ts); goals: ≥ 1,000 events/day free, ≤ $6 per million paid`,
  );
  const by = Object.entries(c.paidPlan.byMeter)
    .filter(([, v]) => v > 0)
    .map(([k, v]) => `${METERS[k as MeterName].label} $${v.toFixed(2)}`);
  rows.push(`   paid, 2 destinations, by meter: ${by.join(", ")}`);
  rows.push(
    `   a month of 1,000,000 events (2 destinations): $${c.paidMonthOfAMillion.toFixed(2)} past the included amounts, plus the $${PAID_SUBSCRIPTION} subscription`,
  );
  rows.push(`free plan: ${c.freePlan.eventsPerDay} events/day with 1 destination (limited by ${c.freePlan.limitedBy})`);
  rows.push(`paid plan: $${c.paidPlan.dollarsPerMillion.toFixed(2)} per million events with 2 destinations`);
  return rows;
}
