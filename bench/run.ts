// `npm run bench`: what one event costs the relay, measured four ways on this
// machine in one run (see docs/performance.md for figures and reading).
//
//   npm run bench                    # everything, 2,000 events at concurrency 32
//   npm run bench -- -n 5000 -c 64   # more events, more at once
//   npm run bench -- --only work     # just the relay's own work (no servers)
//   npm run bench -- --json          # the figures as JSON on stdout
//
// Exits 1 (after the figures) when an event was not accepted or a delivery is
// missing, doubled or unexpected (lib/verdict.ts): nothing lost, nothing twice.
//
// 1. ingest    POST /events under `wrangler dev` vs GET /health (ingest.ts)
// 2. delivery  POST → stand-in latency, and nothing lost or doubled (ingest.ts)
// 3. work      the relay's CPU work per event without I/O (own-work.ts)
// 4. bundle    minified + gzipped size from `wrangler deploy --dry-run` (lib/wrangler.ts)
// 5. cost      every billed operation per event, counted, and priced (cost.ts):
//              prints `free plan: … events/day …` and `paid plan: $… per million …`
// 6. sessions  per_session = "update" / "thread": Slack API calls per session of three
//              events, and the latency each delivery adds (per-session.ts; --sessions N)
import { readFileSync } from "node:fs";
import { availableParallelism, cpus, loadavg } from "node:os";
import { parseArgs } from "node:util";
import { type Cost, costTable, measureCost, type Tally } from "./cost.ts";
import { type GitpleBench, gitpleLines, measureGitple } from "./gitple.ts";
import { type IngestAndDelivery, measureIngestAndDelivery } from "./ingest.ts";
import { DIGEST_OPS } from "./lib/digest-ops.ts";
import { TIMER_OPS } from "./lib/timer-ops.ts";
import { deliveryFailures } from "./lib/verdict.ts";
import { BUNDLE_BUDGET_GZIP_KIB, bundleSize } from "./lib/wrangler.ts";
import { measureOwnWork, type OwnWork, RULE_COUNTS } from "./own-work.ts";
import { measurePerSession, type PerSessionFigures } from "./per-session.ts";

/** What one run measured: `--json` prints it as it is. */
interface Results {
  machine: { cpus: number; cpu: string; node: string; date: string; load: number };
  gitple?: GitpleBench;
  events: number;
  concurrency: number;
  ingest?: IngestAndDelivery;
  work?: OwnWork;
  bundle?: { minifiedKiB: number; gzipKiB: number };
  cost?: Cost;
  sessions?: PerSessionFigures;
}

const PARTS = ["ingest", "work", "gitple", "bundle", "cost", "sessions"];
const GOALS = { ownWorkMicros: 1000, ingestRatio: 0.5, bundleGzipKiB: BUNDLE_BUDGET_GZIP_KIB };

const { values: flags } = parseArgs({
  options: {
    events: { type: "string", short: "n", default: "2000" },
    concurrency: { type: "string", short: "c", default: "32" },
    only: { type: "string", default: PARTS.join(",") },
    seconds: { type: "string", default: "1" },
    sessions: { type: "string", default: "20" },
    json: { type: "boolean", default: false },
    help: { type: "boolean", short: "h", default: false },
  },
});
if (flags.help) {
  const lines = readFileSync(import.meta.filename, "utf8").split("\n");
  const header = lines.slice(
    0,
    lines.findIndex((line) => !line.startsWith("//")),
  );
  console.log(header.join("\n").replace(/^\/\/ ?/gm, ""));
  process.exit(0);
}
const events = Number(flags.events);
const concurrency = Number(flags.concurrency);
const only = new Set(flags.only.split(",").map((s) => s.trim()));
for (const part of only)
  if (!PARTS.includes(part)) throw new Error(`--only: unknown part "${part}" (${PARTS.join(", ")})`);
if (!(events >= 1 && concurrency >= 1 && concurrency <= events)) throw new Error("need 1 ≤ concurrency ≤ events");

const progress = (line: string) => process.stderr.write(`· ${line}\n`);

function machine(): Results["machine"] {
  let cpu = cpus()[0]?.model ?? "unknown";
  try {
    cpu = /^model name\s*:\s*(.+)$/m.exec(readFileSync("/proc/cpuinfo", "utf8"))?.[1] ?? cpu;
  } catch {}
  const date = new Date().toISOString().slice(0, 10);
  // The 1-minute load average when the run starts: other work on the machine skews every figure.
  return {
    cpus: availableParallelism(),
    cpu,
    node: process.version,
    date,
    load: Number((loadavg()[0] ?? 0).toFixed(2)),
  };
}

const results: Results = { machine: machine(), events, concurrency };
// Errors stop wrangler and the stand-in in `finally` blocks; Ctrl-C through lib/cleanup.ts.
try {
  if (only.has("ingest")) results.ingest = await measureIngestAndDelivery({ events, concurrency, progress });
  if (only.has("work")) results.work = await measureOwnWork({ seconds: Number(flags.seconds), progress });
  if (only.has("gitple")) results.gitple = await measureGitple({ seconds: Number(flags.seconds), progress });
  if (only.has("bundle")) {
    progress("bundle: wrangler deploy --dry-run…");
    results.bundle = await bundleSize();
  }
  if (only.has("cost")) results.cost = await measureCost({ progress });
  if (only.has("sessions")) {
    results.sessions = await measurePerSession({ sessions: Number(flags.sessions), progress });
  }
} catch (e) {
  console.error(`bench failed: ${e instanceof Error ? `${e.message}${e.cause ? ` (${e.cause})` : ""}` : e}`);
  process.exitCode = 1;
}

if (flags.json) console.log(JSON.stringify(results, null, 2));
else console.log(table(results));

const failures = deliveryFailures(results);
for (const mode of ["update", "thread"] as const) {
  const s = results.sessions;
  if (s && s.calls[mode].exact < s.sessions)
    failures.push(`per_session = "${mode}": ${s.sessions - s.calls[mode].exact} sessions broke the API call contract`);
}
if (failures.length > 0) {
  console.error(`bench failed: ${failures.join("; ")}`);
  process.exitCode = 1;
}

function table(r: Results): string {
  const rows: string[] = [];
  const m = r.machine;
  rows.push(`Machine: ${m.cpus} × ${m.cpu}, Node ${m.node}, load ${m.load} at the start, ${m.date}`);
  if (r.ingest) {
    const { ingest, health, ratio, delivery } = r.ingest;
    rows.push("", `1. Ingest under wrangler dev: ${r.events} requests each, concurrency ${r.concurrency}`);
    rows.push(row("", "req/s", "p50 ms", "p99 ms", "errors"));
    rows.push(row("POST /events", ingest.perSecond, ingest.p50Ms, ingest.p99Ms, ingest.errors));
    rows.push(row("GET /health", health.perSecond, health.p50Ms, health.p99Ms, health.errors));
    const u = r.ingest.unsigned;
    rows.push(row("POST /events, wrong signature (401)", u.perSecond, u.p50Ms, u.p99Ms, u.errors));
    rows.push(
      `   ingest / health = ${ratio}  (goal ≥ ${GOALS.ingestRatio})   accepted ${ingest.accepted} of ${ingest.requests}`,
    );
    rows.push("", "2. Delivery: POST → message at the stand-in (2 destinations per event)");
    rows.push(row("", "p50 ms", "p99 ms", "drain s"));
    rows.push(row("under the load above", delivery.p50Ms, delivery.p99Ms, delivery.drainSeconds));
    rows.push(row("one event at a time, no backlog", delivery.idleP50Ms, delivery.idleP99Ms));
    rows.push(
      `   expected ${delivery.expected}, exactly once ${delivery.exactlyOnce}, missing ${delivery.missing}, ` +
        `twice or more ${delivery.duplicated}, unexpected ${delivery.unexpected}`,
    );
  }
  if (r.work) {
    rows.push("", `3. Own work per event, no I/O (event of ${r.work.eventBytes} bytes)`);
    rows.push(row("", "wall µs", "CPU µs"));
    for (const [name, t] of Object.entries(r.work.steps)) rows.push(row(name, t.micros, t.cpuMicros));
    const t = r.work.total;
    rows.push(row(`per event: ${RULE_COUNTS.at(-1)} rules, 2 destinations`, t.micros, t.cpuMicros));
    rows.push(`   goal: < ${GOALS.ownWorkMicros} µs of CPU per event with 1,000 rules`);
  }
  if (r.bundle) {
    rows.push("", "4. Bundle (wrangler deploy --dry-run)");
    rows.push(row("minified KiB", r.bundle.minifiedKiB), row("gzip KiB", r.bundle.gzipKiB));
    rows.push(`   goal: ≤ ${GOALS.bundleGzipKiB} KiB gzipped`);
  }
  if (r.gitple) rows.push("", ...gitpleLines(r.gitple));
  if (r.cost) rows.push("", ...costTable(r.cost));
  if (r.sessions) {
    const s = r.sessions;
    rows.push("", `6. Per-session messages: ${s.sessions} sessions of 3 events (open, inprogress, close) per mode`);
    rows.push(row("Slack API calls per session", "posts", "updates", "replies", "exact"));
    rows.push(
      row(
        'per_session = "update" (1, 2, 0)',
        s.calls.update.posts,
        s.calls.update.updates,
        s.calls.update.replies,
        `${s.calls.update.exact}/${s.sessions}`,
      ),
    );
    rows.push(
      row(
        'per_session = "thread" (1, 2, 2)',
        s.calls.thread.posts,
        s.calls.thread.updates,
        s.calls.thread.replies,
        `${s.calls.thread.exact}/${s.sessions}`,
      ),
    );
    rows.push(row("POST → stand-in per delivery", "p50 ms", "p99 ms", "added p50"));
    rows.push(row("Slack webhook (baseline)", s.latency.hook.p50Ms, s.latency.hook.p99Ms, 0));
    rows.push(row('Slack app, "update"', s.latency.update.p50Ms, s.latency.update.p99Ms, s.addedP50Ms.update));
    rows.push(row('Slack app, "thread"', s.latency.thread.p50Ms, s.latency.thread.p99Ms, s.addedP50Ms.thread));
  }
  rows.push("", "7. Storage operations timers add (counted from src/sessions/timers.ts)");
  rows.push(row("", "DO req", "rows read", "rows writ", "alarms", "queue", "KV writes"));
  for (const o of TIMER_OPS) {
    rows.push(row(o.case, o.doRequests, o.rowsRead, o.rowsWritten, o.alarms, o.queueSends, o.kvWrites));
  }
  if (r.cost) rows.push(...heldLines(r.cost));
  rows.push("", "9. Storage operations digests add (counted from src/digests/object.ts)");
  rows.push(row("", "DO req", "rows read", "rows writ", "alarms", "queue", "KV writes"));
  for (const o of DIGEST_OPS) {
    rows.push(row(o.case, o.doRequests, o.rowsRead, o.rowsWritten, o.alarms, o.queueSends, o.kvWrites));
  }
  return rows.join("\n");
}

/** What quiet hours add to a delivery: the "deferred" and "digested" scenarios of part 5 less "one". */
function heldLines(c: Cost): string[] {
  const { one, deferred, digested } = c.perEvent;
  const delta = (t: Tally, key: keyof Tally) => Number((t[key] - one[key]).toFixed(2));
  const cells = (t: Tally) =>
    [
      delta(t, "doRequests"),
      delta(t, "sqlRowsRead"),
      delta(t, "sqlRowsWritten"),
      delta(t, "alarmSets"),
      Number((delta(t, "queueWrites") + delta(t, "queueReads") + delta(t, "queueDeletes")).toFixed(2)),
      delta(t, "kvWrites"),
    ] as const;
  return [
    "",
    '8. Storage operations a quiet-hours hold adds per held notice (measured: part 5\'s scenarios less "one")',
    row("", "DO req", "rows read", "rows writ", "alarms", "queue ops", "KV writes"),
    row("held, then deferred (re-queued)", ...cells(deferred)),
    row(`held, in a digest (${c.events} a window)`, ...cells(digested)),
    "   a hold reads no row; a deferred release reads the rows left at each step (about N² for N held)",
  ];
}

function row(label: string, ...cells: (string | number)[]): string {
  return `   ${String(label).padEnd(36)}${cells.map((c) => String(c).padStart(10)).join("")}`;
}
