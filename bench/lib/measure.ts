// Small measuring tools: time per call after a warm-up, percentiles, a free port.
import { type AddressInfo, createServer } from "node:net";

/**
 * Microseconds per call of `fn` (sync or async, awaited one after another):
 * `warmup` seconds of calls first (the JIT settles), then calls until
 * `seconds` have passed; the mean over those, as wall time (`micros`) and as
 * the process's CPU time (`cpuMicros`, every thread: Node's WebCrypto hands
 * its work to a thread pool, where wall time also counts the hand-off wait).
 */
export async function perCall(
  fn: () => unknown,
  { warmup = 0.3, seconds = 1 }: { warmup?: number; seconds?: number } = {},
): Promise<{ calls: number; micros: number; cpuMicros: number }> {
  const run = async (budget: number) => {
    const end = process.hrtime.bigint() + BigInt(Math.round(budget * 1e9));
    let calls = 0;
    const cpu = process.cpuUsage();
    const start = process.hrtime.bigint();
    let now = start;
    while (now < end) {
      // Batches of 64 keep the clock out of the measured work.
      for (let i = 0; i < 64; i++) {
        const r = fn();
        if (r instanceof Promise) await r;
      }
      calls += 64;
      now = process.hrtime.bigint();
    }
    const used = process.cpuUsage(cpu);
    return { calls, micros: Number(now - start) / 1e3 / calls, cpuMicros: (used.user + used.system) / calls };
  };
  await run(warmup);
  return run(seconds);
}

/** The p-th percentile (0..100) of `values`, nearest rank; NaN when empty. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] as number;
}

/** A TCP port nobody listens on right now, on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
