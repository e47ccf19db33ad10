// Bench only (never in the Worker's bundle): counting wrappers around the
// bindings, so the cost bench counts the operations the relay's own code asks
// for, as Cloudflare bills them. One module-level tally per isolate: the bench
// Worker, its Durable Objects and the scenario test share it in workerd.
//
// - KV: a read per key (a bulk get of n keys is n reads), a write per put, a
//   delete per delete, a list per list call.
// - Queues: a write per message sent, per 64 KB started (sendBatch: per message);
//   reads and deletes are counted where messages are handed out and acked (scenarios).
// - Durable Objects: a request per RPC call on a stub and per alarm run;
//   SQLite rows read and written from each cursor's rowsRead / rowsWritten;
//   setAlarm / deleteAlarm / deleteAll calls.
// - Analytics Engine: a data point per writeDataPoint.

/** Every counter the cost bench reports. */
export interface Tally {
  fetchInvocations: number;
  queueInvocations: number;
  kvReads: number;
  kvWrites: number;
  kvDeletes: number;
  kvLists: number;
  queueWrites: number;
  queueReads: number;
  queueDeletes: number;
  doRequests: number;
  doAlarms: number;
  sqlRowsRead: number;
  sqlRowsWritten: number;
  alarmSets: number;
  dataPoints: number;
}

const zero = (): Tally => ({
  fetchInvocations: 0,
  queueInvocations: 0,
  kvReads: 0,
  kvWrites: 0,
  kvDeletes: 0,
  kvLists: 0,
  queueWrites: 0,
  queueReads: 0,
  queueDeletes: 0,
  doRequests: 0,
  doAlarms: 0,
  sqlRowsRead: 0,
  sqlRowsWritten: 0,
  alarmSets: 0,
  dataPoints: 0,
});

let tally = zero();
/** Cursors handed out since the last reset: their rows are summed when read (they count as they are consumed). */
let cursors: SqlStorageCursor<Record<string, SqlStorageValue>>[] = [];

/** The counts since the last reset, SQLite rows included. */
export function counts(): Tally {
  let rowsRead = 0;
  let rowsWritten = 0;
  for (const c of cursors) {
    rowsRead += c.rowsRead;
    rowsWritten += c.rowsWritten;
  }
  return { ...tally, sqlRowsRead: rowsRead, sqlRowsWritten: rowsWritten };
}

export function resetCounts(): void {
  tally = zero();
  cursors = [];
}

let paused = false;

export function count(name: keyof Tally, n = 1): void {
  if (!paused) tally[name] += n;
}

/** Runs the bench's own work (e.g. moving an object's clock) without counting it. */
export async function uncounted<T>(work: () => Promise<T>): Promise<T> {
  paused = true;
  try {
    return await work();
  } finally {
    paused = false;
  }
}

const OP_BYTES = 64 * 1024;
const encoder = new TextEncoder();
/** Queue operations for one message: one per 64 KB started. */
export const queueOps = (body: unknown): number =>
  Math.max(1, Math.ceil(encoder.encode(JSON.stringify(body)).byteLength / OP_BYTES));

/** Binds a native object's methods to it, so a Proxy can hand them out. */
function bound<T extends object>(target: T, name: PropertyKey): unknown {
  const value = Reflect.get(target, name);
  return typeof value === "function" ? value.bind(target) : value;
}

const KV_COUNTERS: Record<string, keyof Tally> = { put: "kvWrites", delete: "kvDeletes", list: "kvLists" };

function countingKv(kv: KVNamespace): KVNamespace {
  return new Proxy(kv, {
    get(target, name) {
      if (name === "get" || name === "getWithMetadata") {
        return (key: string | string[], ...rest: unknown[]) => {
          count("kvReads", Array.isArray(key) ? key.length : 1);
          return (target[name] as (...a: unknown[]) => unknown).call(target, key, ...rest);
        };
      }
      const counter = KV_COUNTERS[name as string];
      if (counter) {
        const method = Reflect.get(target, name) as (...x: unknown[]) => unknown;
        return (...a: unknown[]) => {
          count(counter);
          return method.apply(target, a);
        };
      }
      return bound(target, name);
    },
  });
}

/** Where sent messages go while a scenario plays the queue itself (null: to the real local queue). */
let sink: ((queue: string, body: unknown) => void) | null = null;

/** Sends to the bound queues go to `to` instead (the scenario hands them to the consumer); null restores. */
export function captureQueues(to: ((queue: string, body: unknown) => void) | null): void {
  sink = to;
}

function countingQueue(queue: Queue, queueName: string): Queue {
  return new Proxy(queue, {
    get(target, name) {
      if (name === "send") {
        return async (body: unknown, options?: QueueSendOptions) => {
          count("queueWrites", queueOps(body));
          if (sink) sink(queueName, body);
          else await target.send(body, options);
        };
      }
      if (name === "sendBatch") {
        return async (messages: Iterable<MessageSendRequest>, options?: QueueSendBatchOptions) => {
          const list = [...messages];
          for (const m of list) count("queueWrites", queueOps(m.body));
          if (sink) for (const m of list) sink(queueName, m.body);
          else await target.sendBatch(list, options);
        };
      }
      return bound(target, name);
    },
  });
}

function countingStub(stub: object): object {
  return new Proxy(stub, {
    get(target, name) {
      const value = Reflect.get(target, name);
      if (typeof value !== "function" || name === "then") return value;
      return (...args: unknown[]) => {
        count("doRequests"); // every RPC method call on a stub is its own session: one billed request
        return Reflect.apply(value as (...a: unknown[]) => unknown, target, args);
      };
    },
  });
}

function countingNamespace<N extends object>(ns: N): N {
  return new Proxy(ns, {
    get(target, name) {
      if (name === "get" || name === "getByName") {
        const get = Reflect.get(target, name) as (...a: unknown[]) => object;
        return (...args: unknown[]) => countingStub(get.apply(target, args));
      }
      return bound(target, name);
    },
  });
}

function countingMetrics(dataset: AnalyticsEngineDataset): AnalyticsEngineDataset {
  return {
    writeDataPoint(point) {
      count("dataPoints");
      dataset.writeDataPoint(point);
    },
  };
}

/** The queue names of wrangler.toml. */
export const DELIVERIES_QUEUE = "gitple-relay-deliveries";
export const DEAD_LETTERS_QUEUE = "gitple-relay-dead-letters";

/** The env with every billed binding wrapped. */
export function countingEnv(env: Env): Env {
  const wrapped: Record<string, unknown> = { ...env };
  wrapped.DEDUP = countingKv(env.DEDUP);
  wrapped.RELAY_STATE = countingKv(env.RELAY_STATE);
  wrapped.DELIVERIES = countingQueue(env.DELIVERIES, DELIVERIES_QUEUE);
  wrapped.DEAD_LETTERS = countingQueue(env.DEAD_LETTERS, DEAD_LETTERS_QUEUE);
  wrapped.CLAIMS = countingNamespace(env.CLAIMS);
  wrapped.SESSIONS = countingNamespace(env.SESSIONS);
  wrapped.HOLDS = countingNamespace(env.HOLDS);
  wrapped.DIGESTS = countingNamespace(env.DIGESTS);
  // The local runtime has no Analytics Engine: a counting stand-in (the code's own calls are what is counted).
  const metrics = (env as { METRICS?: AnalyticsEngineDataset }).METRICS;
  wrapped.METRICS = countingMetrics(metrics ?? { writeDataPoint() {} });
  return wrapped as unknown as Env;
}

const patched = new WeakSet<object>();

/**
 * Counts a Durable Object's SQLite cursors and setAlarm calls, its
 * constructor's statements included: patches the methods on the runtime's
 * prototypes (once), since the base class wants the real state object. Call it
 * before `super(ctx, env)`.
 */
export function countStorageOf(ctx: DurableObjectState): void {
  const sqlProto = Object.getPrototypeOf(ctx.storage.sql) as { exec: SqlStorage["exec"] };
  if (!patched.has(sqlProto)) {
    patched.add(sqlProto);
    const exec = sqlProto.exec;
    sqlProto.exec = function (this: SqlStorage, query: string, ...bindings: unknown[]) {
      const cursor = exec.call(this, query, ...bindings);
      if (!paused) cursors.push(cursor);
      return cursor;
    } as SqlStorage["exec"];
  }
  const storageProto = Object.getPrototypeOf(ctx.storage) as { setAlarm: DurableObjectStorage["setAlarm"] };
  if (!patched.has(storageProto)) {
    patched.add(storageProto);
    const setAlarm = storageProto.setAlarm;
    storageProto.setAlarm = function (
      this: DurableObjectStorage,
      ...args: Parameters<DurableObjectStorage["setAlarm"]>
    ) {
      count("alarmSets");
      return setAlarm.apply(this, args);
    };
  }
}
