// What the benchmark sends: a realistic signed Gitple event (a session close,
// about 600 bytes, shaped like test/fixtures/events/session_state_close.json)
// with a distinct triggerId each, and the routing configs it is measured with.
import { createHmac } from "node:crypto";

export const BENCH_SECRET = "bench-secret: not a real one";

/** Two destinations on the local stand-in; one rule sends every event to both. */
/** A routing config as wrangler would pass `[vars.ROUTING]`: plain data, validated by the Worker. */
export type RoutingInput = Record<string, unknown> & { rules: Record<string, unknown>[] };

export function ingestRouting(): RoutingInput {
  return {
    dedup_ttl_seconds: 3600,
    delivery: { max_attempts: 5, backoff_seconds: 1, max_backoff_seconds: 10, timeout_seconds: 10 },
    destinations: {
      "bench-a": { type: "slack", webhook_url_secret: "BENCH_A_URL" },
      "bench-b": { type: "slack", webhook_url_secret: "BENCH_B_URL", include_contact: true },
    },
    rules: [{ name: "every event", destinations: ["bench-a", "bench-b"] }],
  };
}

/**
 * A config of `count` rules of the usual kinds (event types, tag and category
 * conditions, app codes), all evaluated for every event since none stops; the
 * bench event matches a few of them and the last rule, which sends it to both
 * destinations.
 */
export function rulesRouting(count: number): RoutingInput {
  const rules: Record<string, unknown>[] = [];
  for (let i = 0; i < count - 1; i++) {
    rules.push({
      name: `rule ${i}`,
      events: i % 3 === 0 ? ["session_state_close", "session_state_open"] : ["session_state_inprogress"],
      tags: { any: [`tag-${i}`, `tag-${i + 1}`, "vip"], none: ["test"] },
      ...(i % 2 === 0 ? { categories: { all: [`category-${i % 7}`] } } : {}),
      ...(i % 5 === 0 ? { app_codes: ["bench-app", `app-${i}`] } : {}),
      destinations: [i % 2 === 0 ? "bench-a" : "bench-b"],
    });
  }
  rules.push({ name: "every event", destinations: ["bench-a", "bench-b"] });
  return { ...ingestRouting(), rules };
}

/** The event of index `i` of run `run`, as JSON text. */
export function eventText(run: string, i: number | string): string {
  return JSON.stringify({
    triggerId: `bench-${run}-${i}`,
    ctime: "2019-04-29T09:05:56.001Z",
    appCode: "bench-app",
    type: "session_state_close",
    session: {
      id: `session-${i}`,
      openTime: "2019-04-29T08:57:15.878Z",
      inprogressTime: "2019-04-29T08:57:15.943Z",
      closeTime: "2019-04-29T09:05:56.000Z",
      reason: "userCancel",
      userId: "5cc6bc6d8e1c2a0013f0a0f1",
      userGroups: ["enterprise"],
      assigneeType: "agent",
      assigneeId: "5cc6bc6d8e1c2a0013f0a0f2",
      categories: ["billing", "category-5"],
      tags: ["tag-5", "vip", "refund"],
      note: "고객이 환불을 요청했습니다. Customer asked for a refund of order #1234 <see ticket>.",
      meta: [{ key: "plan", value: "pro" }],
    },
  });
}

/** The `X-Hub-Signature` header Gitple would send: HMAC-SHA256 of the body, hex. */
export function sign(body: string, secret = BENCH_SECRET): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}
