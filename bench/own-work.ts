// Part 3 of the benchmark: the relay's own work per event, without any I/O, in
// Node on the Worker's own TypeScript sources (Node 24 runs them directly).
// The same V8 engine runs them in workerd; what is left out is I/O (KV, the
// queue, the Durable Object, fetch) and the runtime's own overhead.
//
// For one event, the Worker does at ingest: verify the signature (WebCrypto),
// parse the body and build the view, hash the dedup key (SHA-256), route it
// against every rule; and at delivery, once per destination: parse and view the
// body again, format the Slack message and serialize it.
import { formatSlack } from "../src/destinations/slack/format.ts";
import { viewEvent } from "../src/event/view.ts";
import { parseEvent } from "../src/ingest/parse.ts";
import { signBody, verifySignature } from "../src/ingest/signature.ts";
import { validateRouting } from "../src/routing/load.ts";
import { route } from "../src/routing/match.ts";
import type { RoutingConfig } from "../src/routing/types.ts";
import { eventKey } from "../src/storage/event-key.ts";
import { BENCH_SECRET, eventText, rulesRouting } from "./lib/events.ts";
import { perCall } from "./lib/measure.ts";

export const RULE_COUNTS = [10, 100, 1000];

/** µs per call of one step: wall time and the process's CPU time. */
export interface StepTime {
  readonly micros: number;
  readonly cpuMicros: number;
}

export interface OwnWork {
  readonly steps: Record<string, StepTime>;
  readonly total: StepTime;
  readonly eventBytes: number;
}

function config(rules: number): RoutingConfig {
  const result = validateRouting(rulesRouting(rules), () => "http://127.0.0.1:1/bench");
  if (!result.ok) throw new Error(`bench routing config invalid: ${result.error.join("; ")}`);
  return result.value;
}

/** µs per call of each step; `seconds` of calls per step after a warm-up. */
export async function measureOwnWork({
  seconds = 1,
  progress,
}: {
  seconds?: number;
  progress: (line: string) => void;
}): Promise<OwnWork> {
  const text = eventText("own", 1);
  const body = new TextEncoder().encode(text);
  const header = await signBody(BENCH_SECRET, body);
  const parsed = parseEvent(body);
  if (!parsed.ok) throw new Error("bench event does not parse");
  const view = viewEvent(parsed.value.event);
  const configs = RULE_COUNTS.map((n) => [n, config(n)] as const);
  const destination = configs[0]?.[1].destinations["bench-a"];
  if (destination?.type !== "slack") throw new Error("bench-a is not a Slack destination");

  const steps: Record<string, StepTime> = {};
  const time = async (name: string, fn: () => unknown) => {
    progress(`own work: ${name}…`);
    const { micros, cpuMicros } = await perCall(fn, { seconds });
    steps[name] = { micros: Number(micros.toFixed(2)), cpuMicros: Number(cpuMicros.toFixed(2)) };
  };
  await time("verify signature", async () => {
    if (!(await verifySignature(header, body, [BENCH_SECRET]))) throw new Error("signature rejected");
  });
  // The body that parsed above: `as typeof parsed` keeps its success type without a check in the timed call.
  await time("parse + view", () => viewEvent((parseEvent(body) as typeof parsed).value.event));
  await time("dedup key (SHA-256)", () => eventKey(view.appCode, view.triggerId));
  for (const [n, c] of configs) {
    const matched = route(c, view).destinations.length;
    if (matched !== 2) throw new Error(`expected 2 destinations with ${n} rules, got ${matched}`);
    await time(`route, ${n} rules`, () => route(c, view));
  }
  await time("format Slack message", () => JSON.stringify(formatSlack(view, destination)));

  // One event, two destinations, 1,000 rules: ingest once, then parse + format per destination.
  const total = (unit: keyof StepTime) => {
    const t = (name: string) => (steps[name] as StepTime)[unit];
    const perDestination = t("parse + view") + t("format Slack message");
    const ingest = t("verify signature") + t("parse + view") + t("dedup key (SHA-256)") + t("route, 1000 rules");
    return Number((ingest + 2 * perDestination).toFixed(1));
  };
  return { steps, total: { micros: total("micros"), cpuMicros: total("cpuMicros") }, eventBytes: body.byteLength };
}
