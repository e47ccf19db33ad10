// Test access to the Gitple Open API stand-in started by test/support/gitple-global-setup.ts.
// Each test takes a workspace of its own (a fresh app code), so call counts, scripts and cache keys
// never mix between tests running in parallel.
import { expect, inject } from "vitest";
import type { Misbehaviour } from "../../../scripts/lib/gitple-demo-data.ts";
import { MemoryNames, NameCache } from "../../../src/gitple/cache.ts";
import type { GitpleConnection } from "../../../src/gitple/client.ts";
import { GITPLE_TEST_API_SECRET } from "../../support/test-env.ts";

export const STAND_IN_SECRET = GITPLE_TEST_API_SECRET;

const base = () => `http://127.0.0.1:${inject("gitplePort")}`;

export interface Workspace {
  appCode: string;
  conn: GitpleConnection;
  /** Calls per path (after /v1), the total and the highest number in flight at once. */
  calls(): Promise<{ calls: Record<string, number>; total: number; maxInFlight: number }>;
  misbehave(path: string, ...responses: Misbehaviour[]): Promise<void>;
  /** A cache with fresh memory (an isolate of its own) over RELAY_STATE or the given KV. */
  cache(kv?: KVNamespace | null, ttlSeconds?: number): NameCache;
}

export async function workspace(options: { latencyMs?: number } = {}): Promise<Workspace> {
  const appCode = `t-${crypto.randomUUID().slice(0, 8)}`;
  const r = await fetch(`${base()}/__workspace`, {
    method: "POST",
    body: JSON.stringify({ appCode, secret: STAND_IN_SECRET, latencyMs: options.latencyMs ?? 0 }),
  });
  expect(r.status).toBe(204);
  return {
    appCode,
    conn: { apiUrl: `${base()}/v1`, appCode, secret: STAND_IN_SECRET },
    async calls() {
      const res = await fetch(`${base()}/__calls?appCode=${appCode}`);
      expect(res.status).toBe(200);
      return res.json();
    },
    async misbehave(path, ...responses) {
      const res = await fetch(`${base()}/__misbehave`, {
        method: "POST",
        body: JSON.stringify({ appCode, path, responses }),
      });
      expect(res.status).toBe(204);
    },
    cache(kv, ttlSeconds = 86400) {
      return new NameCache({ kv: kv === null ? undefined : kv, ttlSeconds, memory: new MemoryNames() });
    },
  };
}
