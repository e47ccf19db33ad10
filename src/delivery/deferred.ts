/**
 * The consumer of a deferred routing message (issue 10; src/storage/routing-message.ts): ingest
 * could not learn in time the names a rule needs, so routing happens here.
 *
 * Resolve the names (one `timeout_seconds` budget, as at ingest); Gitple still unavailable and
 * attempts left (`message.attempts` < `max_attempts`): retry with the delivery backoff. Otherwise
 * route, on the names if it has them, else on ids alone (logged as such), queue one delivery
 * message per destination as ingest would have, record them in the event's claim object (for
 * `/admin/deliveries`, no longer "deferred", and the re-enqueue safety net), and ack. A copy of this message delivered again
 * queues the deliveries again; the claims (src/delivery/claims.ts) let each destination post once.
 */
import { viewEvent } from "../event/view.ts";
import { noteResolution } from "../gitple/health.ts";
import type { Resolution } from "../gitple/resolve.ts";
import { errorText, log } from "../log/log.ts";
import { route } from "../routing/match.ts";
import { compactNames, mustDefer, nameLookup, needsNames } from "../routing/names.ts";
import type { RoutingConfig } from "../routing/types.ts";
import { queueDeliveries } from "../storage/delivery-queue.ts";
import { recordQueued } from "../storage/delivery-state.ts";
import { loadPayload } from "../storage/payload.ts";
import type { RoutingMessage } from "../storage/routing-message.ts";
import { backoffSeconds } from "./retry.ts";

/** Retry delay when the relay itself cannot work (storage down). */
const INTERNAL_RETRY_SECONDS = 60;

/**
 * @example
 * if (isRoutingMessage(m)) return routeDeferred(message, m, env, config);
 */
export async function routeDeferred(
  message: Message<unknown>,
  m: RoutingMessage,
  env: Env,
  config: RoutingConfig,
): Promise<void> {
  const fields = { triggerId: m.triggerId, type: m.type, appCode: m.appCode };
  try {
    const raw = await loadPayload(env.RELAY_STATE, m.payload);
    if (raw === null) {
      log("error", "deferred event dropped: its stored body has expired", { ...fields, outcome: "expired" });
      return message.ack();
    }
    const body = JSON.parse(raw);
    const view = viewEvent(body);
    let names: Resolution | undefined;
    const lookup = nameLookup(env, config, body, view);
    if (lookup) {
      const res = await lookup.resolve();
      noteResolution(res, m.appCode ?? "");
      if (mustDefer(res, needsNames(config, view))) {
        const attempt = message.attempts;
        if (attempt < config.delivery.max_attempts) {
          const retryInSeconds = backoffSeconds(attempt, config.delivery);
          log("warn", "routing deferred: Gitple names unavailable; will retry", {
            ...fields,
            outcome: "deferred",
            attempt,
            retryInSeconds,
          });
          return message.retry({ delaySeconds: retryInSeconds });
        }
        log("warn", "routing on ids: Gitple names stayed unavailable", {
          ...fields,
          outcome: "ids",
          attempt,
          pending: res.pending.length,
        });
      }
      names = compactNames(res);
    }
    const decision = route(config, view, names);
    const destinations = decision.destinations.map((d) => d.name);
    const sent = await queueDeliveries(
      env.DELIVERIES,
      {
        v: 1,
        eventKey: m.eventKey,
        triggerId: m.triggerId,
        appCode: m.appCode,
        type: m.type,
        acceptedAt: m.acceptedAt,
        payload: m.payload,
        ...(names ? { names } : {}),
      },
      decision.destinations,
    );
    // The claim object's record now wins over the "deferred" KV record (src/admin/deliveries.ts),
    // and its re-enqueue safety net covers these messages as it does ingest's.
    await recordQueued(env, m.eventKey, sent);
    const outcome = decision.fallback ? "fallback" : destinations.length > 0 ? "routed" : "unrouted";
    log("info", "deferred event routed", { ...fields, outcome, destinations, attempt: message.attempts });
    message.ack();
  } catch (e) {
    log("error", "deferred routing interrupted; will retry", { ...fields, outcome: "error", error: errorText(e) });
    message.retry({ delaySeconds: INTERNAL_RETRY_SECONDS });
  }
}
