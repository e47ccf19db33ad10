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
import { enqueueDeliveries } from "./enqueue.ts";
import type { IngestError } from "./errors.ts";
import { parseEvent } from "./parse.ts";
import { hasSigningSecret, signingSecrets } from "./secrets.ts";
import { verifySignature } from "./signature.ts";
import { noteTimers } from "./timers.ts";

export type Accepted =
  | { status: "accepted"; triggerId: string; destinations: string[] }
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

  const view = viewEvent(event);
  const decision = route(config.value, view);
  const names = decision.destinations.map((d) => d.name);
  const acceptedAt = new Date().toISOString();
  const accepted = { eventKey: key, triggerId: event.triggerId, appCode, type: event.type, raw, acceptedAt };
  try {
    await enqueueDeliveries(env, { ...accepted, bodyBytes: body.value.byteLength }, decision.destinations);
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
  const record = { triggerId: event.triggerId, appCode, type: event.type, acceptedAt, destinations: names };
  // For GET /admin/deliveries; never rejects (a failure is logged), so it cannot fail the request.
  const tracked = trackAccepted(env.RELAY_STATE, { ...record, eventKey: key }, config.value.dedup_ttl_seconds);
  try {
    await remember(env.DEDUP, key, record, config.value.dedup_ttl_seconds);
  } catch (e) {
    // Queued but not remembered: Gitple's retry will be queued again, and the
    // delivery claims keep that from posting twice.
    log("error", "dedup write failed", { triggerId: event.triggerId, error: errorText(e) });
    return err({ reason: "storage_unavailable", step: "dedup_write" });
  }
  await tracked;
  const routing = decision.fallback ? "fallback" : names.length > 0 ? "routed" : "unrouted";
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
  return ok({ status: "accepted", triggerId: event.triggerId, destinations: names });
}
