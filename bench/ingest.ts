// Parts 1 and 2 of the benchmark: the Worker under `wrangler dev` (the local
// runtime: workerd with local KV, Queues and Durable Objects), loaded with
// autocannon; every event routed to two destinations on the local stand-in
// (scripts/lib/receiver.ts), which notes when each message arrives.
//
// 1. Ingest: N signed events with distinct triggerIds at concurrency C against
//    POST /events, and as many GET /health at the same concurrency, the ceiling
//    of the same Worker on the same machine (its cheapest route).
// 2. Delivery: for every accepted event, the time from the moment autocannon
//    sends the POST to the moment the stand-in receives each of its two
//    messages; and whether every expected message arrived, exactly once.
//
// Two more lines help read those figures: POST /events with a wrong signature
// (the body is read and the HMAC checked, then 401: the ingest path without
// KV or the queue), and the delivery latency of events sent one at a time once
// the load has drained (the path's own latency, without a backlog).
import autocannon from "autocannon";
import { startFakeReceiver } from "../scripts/lib/receiver.ts";
import { onInterrupt } from "./lib/cleanup.ts";
import { BENCH_SECRET, eventText, ingestRouting, sign } from "./lib/events.ts";
import { percentile } from "./lib/measure.ts";
import { startWranglerDev, type WranglerDev } from "./lib/wrangler.ts";

/** One pre-signed event: its triggerId, body and X-Hub-Signature. */
interface SignedEvent {
  readonly id: string;
  readonly body: string;
  readonly signature: string;
}

/** Requests per second and latency percentiles (ms) of one autocannon run. */
export interface Figures {
  readonly requests: number;
  readonly perSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly errors: number;
}

/** Parts 1 and 2: what `npm run bench` prints under "1. Ingest" and "2. Delivery". */
export interface IngestAndDelivery {
  readonly ingest: Figures & { readonly accepted: number };
  readonly health: Figures;
  readonly unsigned: Figures;
  readonly ratio: number;
  readonly delivery: {
    readonly expected: number;
    readonly exactlyOnce: number;
    readonly missing: number;
    readonly duplicated: number;
    readonly unexpected: number;
    readonly p50Ms: number;
    readonly p99Ms: number;
    readonly drainSeconds: number;
    readonly idleP50Ms: number;
    readonly idleP99Ms: number;
  };
}

type CannonResult = autocannon.Result & { seconds: number };

const PATHS = ["/bench-a", "/bench-b"];
const TRIGGER = /trigger (bench-[\w-]+)/;

/**
 * One autocannon run: resolves to its result and `seconds`, from the start to
 * the last response. (autocannon's own `duration` ends at its next sampling
 * tick, which would round a short run up by as much as a tick.)
 */
async function cannon(opts: autocannon.Options): Promise<CannonResult> {
  const started = performance.now();
  let last = started;
  // Without a callback autocannon returns its instance (an event emitter), which is also a promise of the
  // result; its types declare only the promise. (No progress bar: only autocannon.track draws one.)
  const instance = autocannon({ timeout: 30, sampleInt: 100, ...opts }) as unknown as autocannon.Instance &
    PromiseLike<autocannon.Result>;
  instance.on("response", () => {
    last = performance.now();
  });
  const result = await instance;
  return { ...result, seconds: (last - started) / 1000 };
}

/** Requests per second and latency percentiles (ms) of one autocannon run. */
function figures(result: CannonResult): Figures {
  return {
    requests: result.requests.total,
    perSecond: Math.round(result.requests.total / result.seconds),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors + result.timeouts,
  };
}

/** Pre-signed bodies, so signing costs the load generator nothing during the run. */
function signedEvents(run: string, prefix: string, count: number): SignedEvent[] {
  return Array.from({ length: count }, (_, i) => {
    const body = eventText(run, `${prefix}${i}`);
    return { id: `bench-${run}-${prefix}${i}`, body, signature: sign(body) };
  });
}

/** POSTs the events, one body per request (autocannon's setupRequest rotates them), noting when each was sent. */
function postEvents(
  base: string,
  events: readonly SignedEvent[],
  connections: number,
  sentAt: Map<string, number>,
  statuses: Map<string, number>,
): Promise<CannonResult> {
  let next = 0;
  return cannon({
    url: `${base}/events`,
    connections,
    amount: events.length,
    requests: [
      {
        method: "POST",
        setupRequest(req) {
          // With `amount`, autocannon builds exactly one request per request it sends.
          const event = events[next++] as SignedEvent;
          sentAt.set(event.id, performance.now());
          return {
            ...req,
            headers: { "content-type": "application/json", "x-hub-signature": event.signature },
            body: event.body,
          };
        },
        onResponse(status: number, body: string) {
          try {
            statuses.set(JSON.parse(body).triggerId, status);
          } catch {}
        },
      },
    ],
  });
}

/**
 * POSTs one event and resolves to its status. A connection the server closed
 * under us is retried: the relay answers a copy it already accepted with 200
 * "duplicate", which counts as accepted here.
 */
async function postOne(url: string, event: SignedEvent): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    try {
      const response = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json", "x-hub-signature": event.signature },
        body: event.body,
      });
      const answer = (await response.json()) as { status?: string };
      return response.status === 200 && answer.status === "duplicate" ? 202 : response.status;
    } catch (e) {
      if (attempt === 3) throw e;
    }
  }
}

/** Waits until every key has arrived, or until no new message came for `stallMs`; resolves to the seconds waited. */
async function waitForDeliveries(
  arrivals: ReadonlyMap<string, number[]>,
  keys: readonly string[],
  stallMs = 30_000,
): Promise<number> {
  const start = performance.now();
  let seen = arrivals.size;
  let lastProgress = start;
  while (keys.some((k) => !arrivals.has(k)) && performance.now() - lastProgress < stallMs) {
    await new Promise((r) => setTimeout(r, 100));
    if (arrivals.size !== seen) {
      seen = arrivals.size;
      lastProgress = performance.now();
    }
  }
  return (performance.now() - start) / 1000;
}

/**
 * Runs parts 1 and 2 and resolves to their figures. Always stops wrangler and
 * the stand-in, also on failure.
 */
export async function measureIngestAndDelivery({
  events,
  concurrency,
  progress,
}: {
  events: number;
  concurrency: number;
  progress: (line: string) => void;
}): Promise<IngestAndDelivery> {
  const run = Date.now().toString(36);
  const arrivals = new Map<string, number[]>(); // "<triggerId> <path>" → arrival times (ms, performance.now())
  const receiver = await startFakeReceiver({
    onRequest(record) {
      const key = `${TRIGGER.exec(record.body)?.[1]} ${record.path}`;
      arrivals.set(key, [...(arrivals.get(key) ?? []), performance.now()]);
    },
  });
  const forgetReceiver = onInterrupt(() => receiver.close());
  const standIn = `http://127.0.0.1:${receiver.port}`;
  let relay: WranglerDev | undefined;
  try {
    progress("starting wrangler dev…");
    relay = await startWranglerDev({
      GITPLE_SECRET: BENCH_SECRET,
      ROUTING: ingestRouting(),
      BENCH_A_URL: `${standIn}${PATHS[0]}`,
      BENCH_B_URL: `${standIn}${PATHS[1]}`,
    });

    progress("warming up…");
    await cannon({ url: `${relay.base}/health`, connections: concurrency, amount: 500 });
    const sentAt = new Map<string, number>();
    const statuses = new Map<string, number>();
    await postEvents(relay.base, signedEvents(run, "warm", 200), concurrency, sentAt, statuses);
    // Let the warm-up's deliveries drain, so the measured runs start from a quiet Worker.
    const acceptedKeys = () =>
      [...statuses].filter(([, s]) => s === 202).flatMap(([id]) => PATHS.map((p) => `${id} ${p}`));
    await waitForDeliveries(arrivals, acceptedKeys());

    progress(`GET /health × ${events} at concurrency ${concurrency}…`);
    const health = figures(await cannon({ url: `${relay.base}/health`, connections: concurrency, amount: events }));

    progress(`POST /events with a wrong signature × ${events} at concurrency ${concurrency}…`);
    const unsigned = figures(
      await cannon({
        url: `${relay.base}/events`,
        method: "POST",
        connections: concurrency,
        amount: events,
        headers: { "content-type": "application/json", "x-hub-signature": `sha256=${"0".repeat(64)}` },
        body: eventText(run, "unsigned"),
      }),
    );

    progress(`POST /events × ${events} at concurrency ${concurrency}…`);
    const measured = signedEvents(run, "", events);
    const ingest = figures(await postEvents(relay.base, measured, concurrency, sentAt, statuses));

    // Every accepted event must reach both destinations exactly once.
    progress("waiting for the deliveries…");
    const drainSeconds = await waitForDeliveries(arrivals, acceptedKeys());

    progress("delivery latency without a backlog: 20 events, one at a time…");
    const idle: number[] = [];
    for (const event of signedEvents(run, "idle", 20)) {
      const sent = performance.now();
      statuses.set(event.id, await postOne(`${relay.base}/events`, event));
      const deadline = performance.now() + 10_000;
      while (PATHS.some((p) => !arrivals.has(`${event.id} ${p}`)) && performance.now() < deadline) {
        await new Promise((r) => setTimeout(r, 2));
      }
      for (const p of PATHS) for (const at of arrivals.get(`${event.id} ${p}`) ?? []) idle.push(at - sent);
    }
    await new Promise((r) => setTimeout(r, 2000)); // room for a duplicate to show up

    const latencies: number[] = [];
    for (const event of measured) {
      const sent = sentAt.get(event.id);
      if (sent === undefined || statuses.get(event.id) !== 202) continue;
      for (const p of PATHS) for (const at of arrivals.get(`${event.id} ${p}`) ?? []) latencies.push(at - sent);
    }
    // Warm-up, measured and one-at-a-time events alike; `unexpected` counts messages for anything else.
    const expected = acceptedKeys();
    const counts = expected.map((k) => arrivals.get(k)?.length ?? 0);
    const expectedSet = new Set(expected);
    const isMeasured = new Set(measured.map((e) => e.id));
    return {
      ingest: { ...ingest, accepted: [...statuses].filter(([id, s]) => s === 202 && isMeasured.has(id)).length },
      health,
      unsigned,
      ratio: Number((ingest.perSecond / health.perSecond).toFixed(2)),
      delivery: {
        expected: expected.length,
        exactlyOnce: counts.filter((n) => n === 1).length,
        missing: counts.filter((n) => n === 0).length,
        duplicated: counts.filter((n) => n > 1).length,
        unexpected: [...arrivals.keys()].filter((k) => !expectedSet.has(k)).length,
        p50Ms: Math.round(percentile(latencies, 50)),
        p99Ms: Math.round(percentile(latencies, 99)),
        drainSeconds: Number(drainSeconds.toFixed(1)),
        idleP50Ms: Math.round(percentile(idle, 50)),
        idleP99Ms: Math.round(percentile(idle, 99)),
      },
    };
  } finally {
    progress("stopping wrangler dev and the stand-in…");
    await relay?.stop();
    forgetReceiver();
    await receiver.close();
  }
}
