// Part 5 of the benchmark (issue 11): per-session messages under `wrangler dev`.
// Sessions of three events (open, inprogress, close), each sent once the one
// before it reached the stand-in, to a Slack app in `update` mode, one in
// `thread` mode, and a Slack webhook as the baseline; the stand-in serves the
// Web API (scripts/lib/api-stand-ins.ts) and notes when each call arrives.
//
//   calls     Web API calls per session, by kind: the contract is exactly
//             1 chat.postMessage and 2 chat.update in update mode; 1 parent,
//             2 replies and 2 parent updates in thread mode
//   latency   POST /events → the call at the stand-in, per delivery; the
//             added latency is the app's median less the webhook's (the
//             session object's reserve and record, and the Web API's answer)
import { startFakeReceiver } from "../scripts/lib/receiver.ts";
import { BENCH_SECRET, sign } from "./lib/events.ts";
import { percentile } from "./lib/measure.ts";
import { startWranglerDev } from "./lib/wrangler.ts";

const TOKEN = "xoxb-bench-0000000000-not-a-real-token";
const MODES = ["update", "thread", "hook"] as const;
const STATES = ["session_state_open", "session_state_inprogress", "session_state_close"] as const;
const TRIGGER = /trigger (ps-[\w-]+)/;

export interface PerSessionFigures {
  readonly sessions: number;
  /** Per session, mean calls of each kind, by mode. */
  readonly calls: Record<"update" | "thread", { posts: number; updates: number; replies: number; exact: number }>;
  /** POST → stand-in, ms, by mode. */
  readonly latency: Record<(typeof MODES)[number], { p50Ms: number; p99Ms: number }>;
  readonly addedP50Ms: { update: number; thread: number };
}

function eventText(mode: string, s: number, k: number): string {
  const id = `ps-${mode}-${s}-${k}`;
  return JSON.stringify({
    triggerId: id,
    ctime: `2019-04-29T09:0${k}:00.000Z`,
    appCode: "bench-app",
    type: STATES[k],
    session: { id: `bench-session-${mode}-${s}`, tags: [mode], reason: k === 2 ? "userCancel" : null },
  });
}

export async function measurePerSession(opts: {
  sessions: number;
  progress: (line: string) => void;
}): Promise<PerSessionFigures> {
  const arrived = new Map<string, { at: number; path: string; reply: boolean }[]>();
  const receiver = await startFakeReceiver({
    slackToken: TOKEN,
    onRequest: (r) => {
      const id = TRIGGER.exec(r.body)?.[1];
      if (!id) return;
      const reply = r.body.includes('"thread_ts"');
      arrived.set(id, [...(arrived.get(id) ?? []), { at: r.at, path: r.path, reply }]);
    },
  });
  const base = `http://127.0.0.1:${receiver.port}`;
  const app = { type: "slack", bot_token_secret: "BENCH_BOT_TOKEN", channel: "C0BENCH", api_url: `${base}/slack/api` };
  const routing = {
    delivery: { max_attempts: 5, backoff_seconds: 1, max_backoff_seconds: 10, timeout_seconds: 10 },
    destinations: {
      update: { ...app, per_session: "update" },
      thread: { ...app, per_session: "thread" },
      hook: { type: "slack", webhook_url_secret: "BENCH_HOOK_URL" },
    },
    rules: MODES.map((m) => ({ name: m, tags: { any: [m] }, destinations: [m] })),
  };
  opts.progress("per-session: starting wrangler dev…");
  const dev = await startWranglerDev({
    GITPLE_SECRET: BENCH_SECRET,
    ROUTING: routing,
    BENCH_BOT_TOKEN: TOKEN,
    BENCH_HOOK_URL: `${base}/bench-hook`,
  });
  const latency: Record<string, number[]> = { update: [], thread: [], hook: [] };
  try {
    opts.progress(`per-session: ${opts.sessions} sessions × 3 events × ${MODES.length} modes…`);
    const one = async (mode: string, s: number) => {
      for (let k = 0; k < 3; k++) {
        const body = eventText(mode, s, k);
        const id = `ps-${mode}-${s}-${k}`;
        const sent = Date.now();
        const res = await fetch(`${dev.base}/events`, {
          method: "POST",
          headers: { "content-type": "application/json", "x-hub-signature": sign(body) },
          body,
        });
        if (res.status !== 202 && res.status !== 200) throw new Error(`POST /events answered ${res.status}`);
        const deadline = Date.now() + 30_000;
        // Thread mode's later events make two calls (the parent's update, then the reply): wait for both.
        const calls = mode === "thread" && k > 0 ? 2 : 1;
        while ((arrived.get(id)?.length ?? 0) < calls) {
          if (Date.now() > deadline) throw new Error(`no delivery of ${id}`);
          await new Promise((r) => setTimeout(r, 5));
        }
        latency[mode]?.push((arrived.get(id)?.[0]?.at ?? sent) - sent);
      }
    };
    const jobs: Promise<void>[] = [];
    for (let s = 0; s < opts.sessions; s++) for (const mode of MODES) jobs.push(one(mode, s));
    await Promise.all(jobs);
    await new Promise((r) => setTimeout(r, 500)); // anything extra would arrive now
  } finally {
    await dev.stop();
    await receiver.close();
  }
  const count = (mode: "update" | "thread") => {
    let posts = 0;
    let updates = 0;
    let replies = 0;
    let exact = 0;
    for (let s = 0; s < opts.sessions; s++) {
      const all = [0, 1, 2].flatMap((k) => arrived.get(`ps-${mode}-${s}-${k}`) ?? []);
      const p = all.filter((c) => c.path.endsWith("chat.postMessage") && !c.reply).length;
      const u = all.filter((c) => c.path.endsWith("chat.update")).length;
      const r = all.filter((c) => c.reply).length;
      posts += p;
      updates += u;
      replies += r;
      if (p === 1 && u === 2 && r === (mode === "thread" ? 2 : 0)) exact++;
    }
    const n = opts.sessions;
    return { posts: posts / n, updates: updates / n, replies: replies / n, exact };
  };
  const fig = (mode: string) => ({
    p50Ms: percentile(latency[mode] ?? [], 50),
    p99Ms: percentile(latency[mode] ?? [], 99),
  });
  const lat = { update: fig("update"), thread: fig("thread"), hook: fig("hook") };
  return {
    sessions: opts.sessions,
    calls: { update: count("update"), thread: count("thread") },
    latency: lat,
    addedP50Ms: { update: lat.update.p50Ms - lat.hook.p50Ms, thread: lat.thread.p50Ms - lat.hook.p50Ms },
  };
}
