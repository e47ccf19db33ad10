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
import { eventKey } from "../src/storage/event-key.ts";
import { BENCH_SECRET, eventText, rulesRouting } from "./lib/events.mjs";
import { perCall } from "./lib/measure.mjs";

export const RULE_COUNTS = [10, 100, 1000];

function config(rules) {
  const result = validateRouting(rulesRouting(rules), () => "http://127.0.0.1:1/bench");
  if (!result.ok) throw new Error(`bench routing config invalid: ${result.error.join("; ")}`);
  return result.value;
}

/** µs per call of each step; `seconds` of calls per step after a warm-up. */
export async function measureOwnWork({ seconds = 1, progress }) {
  const text = eventText("own", 1);
  const body = new TextEncoder().encode(text);
  const header = await signBody(BENCH_SECRET, body);
  const parsed = parseEvent(body);
  if (!parsed.ok) throw new Error("bench event does not parse");
  const view = viewEvent(parsed.value.event);
  const configs = RULE_COUNTS.map((n) => [n, config(n)]);
  const destination = configs[0][1].destinations["bench-a"];

  const steps = {};
  const time = async (name, fn) => {
    progress(`own work: ${name}…`);
    const { micros, cpuMicros } = await perCall(fn, { seconds });
    steps[name] = { micros: Number(micros.toFixed(2)), cpuMicros: Number(cpuMicros.toFixed(2)) };
  };
  await time("verify signature", async () => {
    if (!(await verifySignature(header, body, [BENCH_SECRET]))) throw new Error("signature rejected");
  });
  await time("parse + view", () => viewEvent(parseEvent(body).value.event));
  await time("dedup key (SHA-256)", () => eventKey(view.appCode, view.triggerId));
  for (const [n, c] of configs) {
    const matched = route(c, view).destinations.length;
    if (matched !== 2) throw new Error(`expected 2 destinations with ${n} rules, got ${matched}`);
    await time(`route, ${n} rules`, () => route(c, view));
  }
  await time("format Slack message", () => JSON.stringify(formatSlack(view, destination)));

  // One event, two destinations, 1,000 rules: ingest once, then parse + format per destination.
  const total = (unit) => {
    const t = (name) => steps[name][unit];
    const perDestination = t("parse + view") + t("format Slack message");
    const ingest = t("verify signature") + t("parse + view") + t("dedup key (SHA-256)") + t("route, 1000 rules");
    return Number((ingest + 2 * perDestination).toFixed(1));
  };
  return { steps, total: { micros: total("micros"), cpuMicros: total("cpuMicros") }, eventBytes: body.byteLength };
}
