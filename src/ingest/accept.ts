/**
 * The `POST /events` pipeline, cheapest checks first (octokit's webhooks
 * middleware order): body size, secret present, signature, JSON, fields,
 * routing config, dedup, routing, enqueue, remember. Each step either passes
 * or returns a tagged failure; src/ingest/errors.ts decides the answer.
 *
 * "Remember" writes the dedup key and, for the admin API and the re-enqueue
 * safety net, the event's record in its claim object (src/storage/delivery-state.ts).
 * An event routed nowhere writes neither (nothing to deliver twice, and a KV
 * write is the Free plan's scarcest operation: docs/cost.md).
 */

import { viewEvent } from "../event/view.ts";
import { errorText, log } from "../log/log.ts";
import { countEvent } from "../log/metrics.ts";
import { err, ok, type Result } from "../result.ts";
import { loadRouting } from "../routing/load.ts";
import { route } from "../routing/match.ts";
import { remember, seenBefore } from "../storage/dedup.ts";
import type { DeliveryMessage } from "../storage/delivery-message.ts";
import { recordQueued } from "../storage/delivery-state.ts";
import { eventKey } from "../storage/event-key.ts";
import { trackAccepted } from "../storage/tracking.ts";
import { noteWorkspace } from "../storage/workspaces.ts";
import { MAX_BODY_BYTES, readBody } from "./body.ts";
import { noteDigests } from "./digests.ts";
import { enqueueDeliveries, enqueueRouting } from "./enqueue.ts";
import type { IngestError } from "./errors.ts";
import { namesAtIngest } from "./names.ts";
import { parseEvent } from "./parse.ts";
import { hasSigningSecret, signingSecrets } from "./secrets.ts";
import { verifySignature } from "./signature.ts";
import { noteTimers } from "./timers.ts";

export type Accepted =
  | { status: "accepted"; triggerId: string; destinations: string[]; routing?: "deferred" }
  | { status: "duplicate"; triggerId: string };

/**
 * @example
 * const result = await acceptEvent(request, env);
 * // → { ok: true, value: { status: "accepted", triggerId: "t1", destinations: ["vip-slack"] } }
 */
export async function acceptEvent(request: Request, env: Env): Promise<Result<Accepted, IngestError>> {
  const started = Date.now();
  const body = await readBody(request, MAX_BODY_BYTES);
  if (!body.ok) return err({ reason: body.error });

  if (!hasSigningSecret(env)) return err({ reason: "secret_missing" });
  if (!(await verifySignature(request.headers.get("x-hub-signature"), body.value, signingSecrets(env)))) {
    return err({ reason: "signature_invalid" });
  }

  const parsed = parseEvent(body.value);
  if (!parsed.ok) return parsed;
  const { raw, event } = parsed.value;

  const config = loadRouting(env);
  if (!config.ok) return err({ reason: "config_invalid", problems: config.error });

  const appCode = typeof event.appCode === "string" ? event.appCode : undefined;
  const key = await eventKey(appCode, event.triggerId);
  try {
    if (await seenBefore(env.DEDUP, key)) {
      log("info", "event duplicate", { triggerId: event.triggerId, type: event.type, appCode, outcome: "duplicate" });
      countEvent(env, { type: event.type, outcome: "duplicate", appCode });
      return ok({ status: "duplicate", triggerId: event.triggerId });
    }
  } catch (e) {
    log("error", "dedup read failed", { triggerId: event.triggerId, error: errorText(e) });
    return err({ reason: "storage_unavailable", step: "dedup_read" });
  }

  // Issue 10: names within one timeout_seconds budget; routing waits (one routing message) only if a rule needs them.
  const view = viewEvent(event);
  const named = await namesAtIngest(env, config.value, event, view);
  const decision = named.deferred ? DEFERRED : route(config.value, view, named.names);
  const names = decision.destinations.map((d) => d.name);
  const acceptedAt = new Date().toISOString();
  const accepted = { eventKey: key, triggerId: event.triggerId, appCode, type: event.type, raw, acceptedAt };
  const queued: DeliveryMessage[] = [];
  try {
    const toQueue = { ...accepted, bodyBytes: body.value.byteLength, names: named.names };
    if (named.deferred) await enqueueRouting(env, toQueue);
    else await enqueueDeliveries(env, toQueue, decision.destinations, queued);
  } catch (e) {
    log("error", "enqueue failed", { triggerId: event.triggerId, error: errorText(e) });
    return err({ reason: "storage_unavailable", step: "enqueue" });
  }
  try {
    await noteTimers(env, config.value, view, event.session);
  } catch (e) {
    log("error", "timers not noted", { triggerId: event.triggerId, error: errorText(e) });
    return err({ reason: "storage_unavailable", step: "timers" });
  }
  try {
    await noteDigests(env, config.value, view);
  } catch (e) {
    log("error", "digests not noted", { triggerId: event.triggerId, error: errorText(e) });
    return err({ reason: "storage_unavailable", step: "digests" });
  }
  const record = { triggerId: event.triggerId, appCode, type: event.type, acceptedAt, destinations: names };
  // For GET /admin/deliveries and the re-enqueue safety net; never rejects (a failure is logged). A deferred
  // event is recorded in KV as "deferred" until the consumer routes it (src/storage/tracking.ts).
  const tracked = named.deferred
    ? Promise.all([
        trackAccepted(
          env.RELAY_STATE,
          { ...record, eventKey: key, routing: "deferred" },
          config.value.dedup_ttl_seconds,
        ),
        noteWorkspace(env.RELAY_STATE, appCode),
      ])
    : queued.length > 0
      ? Promise.all([recordQueued(env, key, queued), noteWorkspace(env.RELAY_STATE, appCode)])
      : null;
  try {
    // An event routed nowhere is not remembered (no KV write); a deferred one is: it is on the queue.
    if (queued.length > 0 || named.deferred) await remember(env.DEDUP, key, record, config.value.dedup_ttl_seconds);
  } catch (e) {
    // Queued but not remembered: Gitple's retry will be queued again, and the
    // delivery claims keep that from posting twice.
    log("error", "dedup write failed", { triggerId: event.triggerId, error: errorText(e) });
    return err({ reason: "storage_unavailable", step: "dedup_write" });
  }
  await tracked;
  const routing = outcomeOf(named.deferred, decision.fallback, names.length);
  const durationMs = Date.now() - started;
  log("info", "event accepted", {
    triggerId: event.triggerId,
    type: event.type,
    appCode,
    outcome: routing,
    destinations: names,
    durationMs,
  });
  countEvent(env, { type: event.type, outcome: "accepted", detail: routing, appCode, durationMs });
  return ok({
    status: "accepted",
    triggerId: event.triggerId,
    destinations: names,
    ...(named.deferred ? { routing: "deferred" as const } : {}),
  });
}

function outcomeOf(deferred: boolean, fallback: boolean, destinations: number): string {
  if (deferred) return "deferred";
  if (fallback) return "fallback";
  return destinations > 0 ? "routed" : "unrouted";
}

/** No destinations yet: the consumer routes a deferred event (src/delivery/deferred.ts). */
const DEFERRED = { destinations: [], rules: [], fallback: false } as const;
