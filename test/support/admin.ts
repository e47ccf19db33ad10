// Worker-side helpers for the admin API: authenticated requests through the
// Worker's real fetch handler, and dead letters made directly.
import { env, exports } from "cloudflare:workers";
import { recordDeadLetter } from "../../src/delivery/dead-letters.ts";
import relay from "../../src/index.ts";
import type { DeadLetterRecord } from "../../src/storage/dead-letters.ts";
import type { DeliveryMessage } from "../../src/storage/delivery-message.ts";
import { eventKey } from "../../src/storage/event-key.ts";
import { ADMIN_TOKEN } from "./test-env.ts";
import { closeEvent } from "./worker.ts";

export interface AdminAnswer {
  status: number;
  body: Record<string, unknown>;
  response: Response;
}

const ctx = { waitUntil() {}, passThroughOnException() {}, props: {} };

/**
 * Calls `/admin<path>` with the test token (or `token`; null sends no Authorization header),
 * through the Worker's fetch: the deployed one, or the module's with `env` when given.
 */
export async function admin(
  path: string,
  opts: {
    method?: string;
    body?: string | object;
    token?: string | null;
    headers?: Record<string, string>;
    env?: object;
  } = {},
): Promise<AdminAnswer> {
  const headers: Record<string, string> = { ...opts.headers };
  const token = opts.token === undefined ? ADMIN_TOKEN : opts.token;
  if (token !== null) headers.authorization = `Bearer ${token}`;
  const body =
    opts.body === undefined ? undefined : typeof opts.body === "string" ? opts.body : JSON.stringify(opts.body);
  const request = new Request(`https://relay.test/admin${path}`, { method: opts.method ?? "GET", headers, body });
  const response = opts.env
    ? await relay.fetch(request, opts.env as unknown as Env, ctx as never)
    : await exports.default.fetch(request);
  const text = await response.clone().text();
  return { status: response.status, body: text === "" ? {} : (JSON.parse(text) as Record<string, unknown>), response };
}

/** A delivery message for `event` to `destination`, as the producer would queue it. */
export async function deliveryOf(
  event: ReturnType<typeof closeEvent>,
  destination = "main-slack",
): Promise<DeliveryMessage> {
  return {
    v: 1,
    eventKey: await eventKey(event.appCode, event.triggerId),
    triggerId: event.triggerId,
    appCode: event.appCode,
    type: event.type,
    destination,
    rules: ["closes"],
    acceptedAt: new Date().toISOString(),
    payload: { inline: JSON.stringify(event) },
  };
}

/** Records a dead letter directly (as the DEAD_LETTERS consumer would), dead at `deadAt`. */
export async function makeDeadLetter(
  deadAt: Date,
  event = closeEvent(),
  destination = "main-slack",
): Promise<DeadLetterRecord> {
  return recordDeadLetter(env, {
    kind: "dead-letter",
    delivery: await deliveryOf(event, destination),
    reason: "HTTP 404: channel_not_found",
    attempts: 1,
    lastStatus: 404,
    deadAt: deadAt.toISOString(),
  });
}

/** A stand-in DELIVERIES queue that records what is sent (and can be made to fail). */
export function recordingQueue(fail = false) {
  const sent: unknown[] = [];
  const queue = {
    sent,
    async send(body: unknown) {
      if (fail) throw new Error("queue down");
      sent.push(body);
    },
    async sendBatch(messages: Array<{ body: unknown }>) {
      if (fail) throw new Error("queue down");
      for (const m of messages) sent.push(m.body);
    },
  };
  return queue;
}
