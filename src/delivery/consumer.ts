/**
 * The DELIVERIES queue's consumer: one attempt per message.
 *
 * claim (Durable Object) → send → mark delivered and ack; or, on failure,
 * record it and either `retry({ delaySeconds })` or dead-letter at once.
 * Messages of a batch are processed concurrently; the claim keeps concurrent
 * copies of one delivery from posting twice. After the attempt at a delivery
 * that quiet hours held (`heldUntil`), its holding object releases the next
 * (src/delivery/quiet.ts `releaseNext`), so released ones go in accepted order.
 */
import type { SendOutcome } from "../destinations/contract.ts";
import { attemptBudgetMs, sendTo } from "../destinations/registry.ts";
import type { RawEvent } from "../event/raw.ts";
import { viewEvent } from "../event/view.ts";
import { namedSecret } from "../lib/secrets.ts";
import { errorText, log } from "../log/log.ts";
import { countDelivery } from "../log/metrics.ts";
import { loadRouting } from "../routing/load.ts";
import { compactNames, nameLookup } from "../routing/names.ts";
import type { RoutingConfig } from "../routing/types.ts";

import { type DeliveryMessage, isDeliveryMessage } from "../storage/delivery-message.ts";
import { loadPayload } from "../storage/payload.ts";
import { isRoutingMessage } from "../storage/routing-message.ts";
import { claimsFor } from "./claims.ts";
import { type DeadLetterNotice, isNotice, recordDeadLetter } from "./dead-letters.ts";
import { routeDeferred } from "./deferred.ts";
import { holdIfQuiet, releaseNext } from "./quiet.ts";
import { decideRetry } from "./retry.ts";

/** Retry delay when the relay itself cannot work (config broken, storage down). */
const INTERNAL_RETRY_SECONDS = 60;

/** The DELIVERIES queue's consumer. */
export async function handleDeliveries(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const config = loadRouting(env);
  if (!config.ok) {
    log("error", "routing config invalid; deliveries wait", { problems: config.error });
    batch.retryAll({ delaySeconds: INTERNAL_RETRY_SECONDS });
    return;
  }
  await Promise.all(
    batch.messages.map(async (message) => {
      await deliverOne(message, env, config.value);
      await releaseNext(env, message.body);
    }),
  );
}

async function deliverOne(message: Message<unknown>, env: Env, config: RoutingConfig): Promise<void> {
  const m = message.body;
  if (isNotice(m)) {
    // A notice on this queue means the dead-letter queue was renamed so that its name no
    // longer ends in "dead-letters" (src/index.ts): record it here rather than lose it.
    log("warn", "dead-letter notice on the deliveries queue; recording it", { triggerId: m.delivery.triggerId });
    try {
      await recordDeadLetter(env, m);
      message.ack();
    } catch (e) {
      log("error", "dead letter not recorded yet; will retry", { error: errorText(e) });
      message.retry({ delaySeconds: INTERNAL_RETRY_SECONDS });
    }
    return;
  }
  if (isRoutingMessage(m)) return routeDeferred(message, m, env, config);
  if (!isDeliveryMessage(m)) {
    log("error", "unreadable delivery message dropped", { messageId: message.id });
    message.ack();
    return;
  }
  const fields = { triggerId: m.triggerId, type: m.type, destination: m.destination };
  const counted = { type: m.type, destination: m.destination, appCode: m.appCode };
  try {
    if (await holdIfQuiet(env, config, m)) return message.ack();
    const claims = claimsFor(env, m.eventKey);
    const policy = config.delivery;
    const leaseMs = attemptBudgetMs(config.destinations[m.destination], policy);
    const claim = await claims.claim(m.destination, leaseMs, policy.max_attempts);
    switch (claim.outcome) {
      case "delivered":
      case "dead":
        log("info", "delivery skipped", { ...fields, outcome: `already-${claim.outcome}` });
        countDelivery(env, { ...counted, outcome: "skipped", detail: `already-${claim.outcome}` });
        return message.ack();
      case "busy": {
        // Held by another copy's attempt, or waiting out a failed attempt's backoff / Retry-After.
        const why = claim.why === "leased" ? "claimed-elsewhere" : "backing-off";
        log("info", "delivery skipped", { ...fields, outcome: why });
        countDelivery(env, { ...counted, outcome: "skipped", detail: why });
        return message.retry({ delaySeconds: Math.ceil(claim.retryInMs / 1000) });
      }
      case "exhausted": {
        const reason = `gave up after ${claim.attempts} attempts; last: ${claim.lastReason ?? "unknown"}`;
        log("warn", "delivery given up", {
          ...fields,
          outcome: "exhausted",
          status: claim.lastStatus,
          attempt: claim.attempts,
        });
        await deadLetter(env, m, { reason, attempts: claim.attempts, lastStatus: claim.lastStatus });
        await claims.failed(m.destination, { status: claim.lastStatus, reason, dead: true });
        return message.ack();
      }
      case "claimed":
        break;
    }

    const attempt = claim.attempt;
    const started = Date.now();
    const outcome = await attemptSend(env, config, m);
    const durationMs = Date.now() - started;
    if (outcome.ok) {
      await claims.delivered(m.destination, outcome.status);
      log("info", "delivery attempt", { ...fields, outcome: "delivered", status: outcome.status, attempt, durationMs });
      countDelivery(env, { ...counted, outcome: "delivered", status: outcome.status, attempt, durationMs });
      return message.ack();
    }
    const decision = decideRetry(outcome, attempt, policy);
    const status = outcome.status ?? null;
    if (decision.action === "retry") {
      await claims.failed(m.destination, {
        status,
        reason: outcome.reason,
        dead: false,
        retryInMs: decision.delaySeconds * 1000,
      });
      log("warn", "delivery attempt", {
        ...fields,
        outcome: "retry",
        status,
        attempt,
        durationMs,
        reason: outcome.reason,
        retryInSeconds: decision.delaySeconds,
      });
      countDelivery(env, { ...counted, outcome: "retry", status, attempt, durationMs });
      return message.retry({ delaySeconds: decision.delaySeconds });
    }
    log("warn", "delivery attempt", {
      ...fields,
      outcome: "failed",
      status,
      attempt,
      durationMs,
      reason: outcome.reason,
    });
    countDelivery(env, { ...counted, outcome: "failed", status, attempt, durationMs });
    await deadLetter(env, m, { reason: decision.reason, attempts: attempt, lastStatus: status });
    await claims.failed(m.destination, { status, reason: decision.reason, dead: true });
    message.ack();
  } catch (e) {
    log("error", "delivery interrupted; will retry", { ...fields, outcome: "error", error: errorText(e) });
    countDelivery(env, { ...counted, outcome: "error" });
    message.retry({ delaySeconds: INTERNAL_RETRY_SECONDS });
  }
}

async function attemptSend(env: Env, config: RoutingConfig, m: DeliveryMessage): Promise<SendOutcome> {
  const destination = config.destinations[m.destination];
  if (!destination) {
    return { ok: false, retryable: false, reason: `destination "${m.destination}" is no longer in the routing config` };
  }
  const raw = await loadPayload(env.RELAY_STATE, m.payload);
  if (raw === null) return { ok: false, retryable: false, reason: "the stored event body has expired" };
  const body = JSON.parse(raw) as RawEvent;
  const view = viewEvent(body);
  const event = m.heldUntil ? { ...view, held: { acceptedAt: m.acceptedAt, until: m.heldUntil } } : view;
  // A timer notice is made by the session's alarm, which reads no config: its names (the customer, tags,
  // categories) are resolved here, through the name caches, within the Open API's timeout_seconds
  // (at most 10 s, inside the attempt's margin). Gitple unavailable: the notice shows ids.
  const lookup = m.names || m.type !== "timer" ? undefined : nameLookup(env, config, body, view);
  const names = m.names ?? (lookup && compactNames(await lookup.resolve()));
  return sendTo(destination, {
    event,
    raw,
    destination: m.destination,
    rules: m.rules,
    config,
    secret: (name) => namedSecret(env, name),
    env,
    timeoutMs: config.delivery.timeout_seconds * 1000,
    ...(names && { names }),
  });
}

async function deadLetter(
  env: Env,
  m: DeliveryMessage,
  failure: { reason: string; attempts: number; lastStatus: number | null },
): Promise<void> {
  const notice: DeadLetterNotice = { kind: "dead-letter", delivery: m, ...failure, deadAt: new Date().toISOString() };
  await env.DEAD_LETTERS.send(notice, { contentType: "json" });
}
