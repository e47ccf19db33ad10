// Worker-side helpers for the per-session tests (issue 11): a routing config with
// destinations that follow sessions (aimed at the receiver's Slack Web API, Discord
// and Google Chat stand-ins), the events of one session, and the consumer driven as
// the queue would (retries after the delays it asks for, short ones only).
import { env } from "cloudflare:workers";
import type { MessageRef } from "../../src/sessions/messages.ts";
import { sessionFor } from "../../src/sessions/stub.ts";
import type { DeliveryMessage } from "../../src/storage/delivery-message.ts";
import { eventKey } from "../../src/storage/event-key.ts";
import { consume, deliveryFor, envWith } from "./queue.ts";
import { closeEvent, gitpleId, receiverBase, uniqueId } from "./worker.ts";

/** The suite's routing plus destinations that follow sessions. */
export function followingRouting() {
  const base = receiverBase();
  const routing = (env as unknown as { ROUTING: { delivery: object; destinations: Record<string, unknown> } }).ROUTING;
  const app = { type: "slack", bot_token_secret: "SLACK_BOT_TOKEN", channel: "C0TEST", api_url: `${base}/slack/api` };
  return {
    ...routing,
    // Room for the waits of concurrent events (each is an attempt) and a dropped keep-alive connection.
    delivery: { ...routing.delivery, max_attempts: 6, backoff_seconds: 0, max_backoff_seconds: 0 },
    destinations: {
      ...routing.destinations,
      "slack-app": { ...app, per_session: "update" },
      "slack-thread": { ...app, per_session: "thread" },
      "slack-app-off": app,
      "discord-edit": { type: "discord", webhook_url_secret: "DISCORD_URL", per_session: "update" },
      "gchat-thread": { type: "google-chat", webhook_url_secret: "GCHAT_URL", per_session: "thread" },
    },
  };
}

/** The env the per-session tests deliver with: no backoff, six attempts. */
export function followingEnv(overrides: Record<string, unknown> = {}): Env {
  return envWith({}, { ROUTING: followingRouting(), ...overrides });
}

/** The three events of one session; every body the relay sends for them contains `marker` (the note). */
export function sessionEvents() {
  const id = gitpleId();
  const marker = uniqueId("marker");
  const at = (type: string, ctime: string, session: Record<string, unknown>) =>
    closeEvent({ type, triggerId: uniqueId(type), ctime }, { id, note: marker, ...session });
  return {
    id,
    marker,
    open: at("session_state_open", "2019-04-29T08:57:15.880Z", {
      inprogressTime: null,
      closeTime: null,
      reason: null,
      assigneeType: null,
      assigneeId: null,
    }),
    inprogress: at("session_state_inprogress", "2019-04-29T08:58:15.880Z", { closeTime: null, reason: null }),
    close: at("session_state_close", "2019-04-29T09:05:56.001Z", {}),
  };
}

export type SessionEvent = ReturnType<typeof sessionEvents>["open"];

/** Delivers events as one concurrent batch, then retries what was retried until all are acked (≤ `rounds`). */
export async function deliverAll(
  destination: string,
  events: readonly SessionEvent[],
  runEnv: Env = followingEnv(),
  opts: { rounds?: number; resent?: boolean } = {},
): Promise<{ retries: { delaySeconds?: number }[] }> {
  const rounds = opts.rounds ?? 8;
  let pending: DeliveryMessage[] = await Promise.all(
    events.map((e) => (opts.resent ? resent(destination, e) : deliveryFor(destination, e))),
  );
  const retries: { delaySeconds?: number }[] = [];
  for (let round = 1; round <= rounds && pending.length > 0; round++) {
    const result = await consume(pending, runEnv, round);
    retries.push(...result.retried);
    pending = pending.filter((_, i) => result.retried.some((r) => r.id.startsWith(`m${i}-`)));
    const wait = Math.max(0, ...result.retried.map((r) => r.delaySeconds ?? 0));
    if (pending.length > 0) await new Promise((r) => setTimeout(r, Math.min(wait, 3) * 1000));
  }
  return { retries };
}

/**
 * The same event as Gitple would send it again once the dedup has forgotten it: a new
 * delivery (its own claim), so only the session's state can keep it from showing twice.
 */
export async function resent(destination: string, event: SessionEvent): Promise<DeliveryMessage> {
  const message = await deliveryFor(destination, event);
  return { ...message, eventKey: await eventKey("TEST_APP", `${event.triggerId}-resent-${uniqueId("r")}`) };
}

/** What the session's object keeps for a destination. */
export function shown(sessionId: string, destination: string) {
  return sessionFor(env, "TEST_APP", sessionId).shownMessage(destination) as Promise<
    { ref: MessageRef | null; state: number; trigger: string | null } | undefined
  >;
}

export interface ApiCall {
  path: string;
  method?: string;
  query?: string;
  note?: string;
  body: string;
}

/** Every request the receiver answered whose body contains `match`, in order. */
export async function calls(match: string): Promise<ApiCall[]> {
  const url = `${receiverBase()}/__received?match=${encodeURIComponent(match)}`;
  // Once more on a dropped keep-alive connection (the receiver closes idle ones after 1 s; a loaded machine races it).
  const r = await fetch(url).catch(() => fetch(url));
  return ((await r.json()) as ApiCall[]).sort(
    (a, b) => (a as unknown as { at: number }).at - (b as unknown as { at: number }).at,
  );
}
