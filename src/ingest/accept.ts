/**
 * The `POST /events` pipeline, cheapest checks first (octokit's webhooks
 * middleware order): body size, secret present, signature, JSON, fields,
 * routing config, dedup, routing, enqueue, remember. Each step either passes
 * or returns a tagged failure; src/ingest/errors.ts decides the answer.
 */

import { viewEvent } from "../event/view.ts";
import { errorText, log } from "../log/log.ts";
import { countEvent } from "../log/metrics.ts";
import { err, ok, type Result } from "../result.ts";
import { loadRouting } from "../routing/load.ts";
import { route } from "../routing/match.ts";
import { remember, seenBefore } from "../storage/dedup.ts";
import { eventKey } from "../storage/event-key.ts";
import { trackAccepted } from "../storage/tracking.ts";
import { MAX_BODY_BYTES, readBody } from "./body.ts";
import { enqueueDeliveries, enqueueRouting } from "./enqueue.ts";
import type { IngestError } from "./errors.ts";
import { namesAtIngest } from "./names.ts";
import { parseEvent } from "./parse.ts";
import { hasSigningSecret, signingSecrets } from "./secrets.ts";
import { verifySignature } from "./signature.ts";

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
  try {
    const queued = { ...accepted, bodyBytes: body.value.byteLength, names: named.names };
    if (named.deferred) await enqueueRouting(env, queued);
    else await enqueueDeliveries(env, queued, decision.destinations);
  } catch (e) {
    log("error", "enqueue failed", { triggerId: event.triggerId, error: errorText(e) });
    return err({ reason: "storage_unavailable", step: "enqueue" });
  }
  const record = { triggerId: event.triggerId, appCode, type: event.type, acceptedAt, destinations: names };
  // For GET /admin/deliveries; never rejects (a failure is logged), so it cannot fail the request.
  const tracked = trackAccepted(
    env.RELAY_STATE,
    { ...record, eventKey: key, ...(named.deferred ? { routing: "deferred" as const } : {}) },
    config.value.dedup_ttl_seconds,
  );
  try {
    await remember(env.DEDUP, key, record, config.value.dedup_ttl_seconds);
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
