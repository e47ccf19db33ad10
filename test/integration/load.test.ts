// Nothing lost, nothing twice, under load: 300 signed events at 30 at a time
// through the real fetch handler, local queue and consumer. Every event must be
// answered 202 and every expected delivery must reach the fake receiver exactly
// once. (`npm run bench` runs the same check with 2,000 events under wrangler dev.)
import { describe, expect, it } from "vitest";
import { TAG } from "../support/ids.ts";
import { HOOKS } from "../support/test-env.ts";
import { closeEvent, post, received, waitFor } from "../support/worker.ts";

const EVENTS = 300;
const CONCURRENCY = 30;

/** Runs `task(i)` for i in 0..count-1, at most `concurrency` at a time. */
async function pool<T>(count: number, concurrency: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      results[i] = await task(i);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return results;
}

describe("load", () => {
  it(`answers ${EVENTS} events at concurrency ${CONCURRENCY} with 202 and delivers each to both destinations exactly once`, async () => {
    const run = `load-${crypto.randomUUID()}`;
    // TAG.two routes a close to main-slack (rule "closes") and second-slack (rule "two").
    const events = Array.from({ length: EVENTS }, (_, i) =>
      closeEvent({ triggerId: `${run}-${i}` }, { tags: [TAG.two] }),
    );
    const answers = await pool(EVENTS, CONCURRENCY, (i) => post(events[i] ?? {}));
    expect(answers.filter((a) => a.status !== 202)).toEqual([]);
    for (const a of answers) expect(a.body.destinations).toEqual(["main-slack", "second-slack"]);

    const expected = EVENTS * 2;
    await waitFor(
      async () => ((await received(run)).length >= expected ? true : undefined),
      90_000,
      `${expected} deliveries`,
    );
    await new Promise((r) => setTimeout(r, 1000)); // time for a duplicate to show up
    const counts = new Map<string, number>();
    for (const r of await received(run)) {
      const triggerId = /trigger (load-[\w-]+)/.exec(r.body)?.[1] ?? "?";
      const key = `${triggerId} ${r.path}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    const missing: string[] = [];
    for (const e of events) {
      for (const path of [HOOKS["main-slack"], HOOKS["second-slack"]]) {
        if (!counts.has(`${e.triggerId} ${path}`)) missing.push(`${e.triggerId} ${path}`);
      }
    }
    expect(missing).toEqual([]);
    expect([...counts].filter(([, n]) => n !== 1)).toEqual([]);
    expect(counts.size).toBe(expected);
  }, 120_000);
});
