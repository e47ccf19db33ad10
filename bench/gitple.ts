// Part 4 of the benchmark (issue 10): what names cost ingest. In Node on the Worker's sources, against
// the Open API stand-in (scripts/lib/gitple-stand-in.ts, a real local HTTP server):
//   - ingest's routing step per event without [vars.ROUTING.gitple] (route on ids) vs with it and warm
//     caches (names from isolate memory, the compact copy for the queue message, route by name): the
//     added time per event;
//   - Open API calls per event, cold (a workspace never seen) and warm (the next event).
import { DEMO_API_SECRET, demoSessionEvent } from "../scripts/lib/gitple-demo-data.ts";
import { startGitpleStandIn } from "../scripts/lib/gitple-stand-in.ts";
import { viewEvent } from "../src/event/view.ts";
import { namesAtIngest } from "../src/ingest/names.ts";
import { validateRouting } from "../src/routing/load.ts";
import { route } from "../src/routing/match.ts";
import type { RoutingConfig } from "../src/routing/types.ts";
import { perCall } from "./lib/measure.ts";

export interface GitpleBench {
  /** µs of CPU per event: routing on ids (no table) and with warm names. */
  readonly withoutMicros: number;
  readonly warmMicros: number;
  readonly addedMicros: number;
  /** Open API requests for the first event of a workspace, and for the next one. */
  readonly callsCold: number;
  readonly callsWarm: number;
}

const RULES = [
  { name: "vip", events: ["session_state_close"], tags: { any: ["VIP"] }, destinations: ["a"], stop: false },
  { name: "parcels", categories: { any: ["배송"] }, destinations: ["a"] },
  { name: "gold", meta: { plan: ["gold"] }, destinations: ["a"] },
];

function config(apiUrl?: string): RoutingConfig {
  const input = {
    destinations: { a: { type: "slack", webhook_url_secret: "A" } },
    rules: RULES,
    ...(apiUrl ? { gitple: { api_secret: "GITPLE_API_SECRET", api_url: apiUrl } } : {}),
  };
  const result = validateRouting(input, () => "https://hooks.slack.com/x");
  if (!result.ok) throw new Error(result.error.join("\n"));
  return result.value;
}

export async function measureGitple(options: {
  seconds: number;
  progress: (line: string) => void;
}): Promise<GitpleBench> {
  const standIn = await startGitpleStandIn();
  try {
    const env = { GITPLE_API_SECRET: DEMO_API_SECRET } as unknown as Env;
    const withTable = config(standIn.url);
    const without = config();
    const event = demoSessionEvent("session_state_close", "bench-1");
    const view = viewEvent(event);

    options.progress("gitple: Open API calls per event, cold and warm…");
    await namesAtIngest(env, withTable, event, view);
    const total = () => Object.values(standIn.calls()).reduce((a, b) => a + b, 0);
    const callsCold = total();
    await namesAtIngest(env, withTable, { ...event, triggerId: "bench-2" }, view);
    const callsWarm = total() - callsCold;

    options.progress("gitple: routing per event without the table vs with warm names…");
    const plain = await perCall(() => route(without, view), { seconds: options.seconds });
    const warm = await perCall(
      async () => {
        const { names } = await namesAtIngest(env, withTable, event, view);
        return route(withTable, view, names);
      },
      { seconds: options.seconds },
    );
    return {
      withoutMicros: plain.cpuMicros,
      warmMicros: warm.cpuMicros,
      addedMicros: warm.cpuMicros - plain.cpuMicros,
      callsCold,
      callsWarm,
    };
  } finally {
    await standIn.close();
  }
}

/** The lines `npm run bench` prints for this part. */
export function gitpleLines(g: GitpleBench): string[] {
  return [
    "Gitple names (issue 10), ingest's routing step, CPU per event:",
    `   without [vars.ROUTING.gitple]: ${g.withoutMicros.toFixed(1)} µs · with it, warm caches: ${g.warmMicros.toFixed(1)} µs · added: ${g.addedMicros.toFixed(1)} µs`,
    `   Open API calls per event: cold ${g.callsCold}, warm ${g.callsWarm}`,
  ];
}
