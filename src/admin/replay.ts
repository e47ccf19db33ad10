/**
 * Replaying a dead letter: the delivery goes back on the DELIVERIES queue,
 * once, with a fresh attempt count.
 *
 * The gate is the claim Durable Object's `reopen`: it turns a `dead` pair into
 * `queued` (attempts 0) in one call, and a DO runs one call at a time, so of
 * two concurrent replays exactly one wins; the other, and any later one while
 * the pair is queued or delivered, is refused (409) and queues nothing. The
 * record's own `replayed` mark is only a fast path: KV has no compare-and-set.
 *
 * Order: everything that can be refused is checked first (record, state,
 * destination still configured, event body still there); then reopen; then
 * mark the record replayed (before queueing, so a delivery that dies again at
 * once writes its new dead letter after our mark, not under it); then queue.
 * A failure after the reopen puts the pair and the record back as they were,
 * so the operator can simply try again.
 */

import { claimsFor } from "../delivery/claims.ts";
import { errorText, log } from "../log/log.ts";
import { err, ok, type Result } from "../result.ts";
import { loadRouting } from "../routing/load.ts";
import { type DeadLetterRecord, getDeadLetter, markReplayed, restoreDeadLetter } from "../storage/dead-letters.ts";
import { restorePayload } from "../storage/payload.ts";

export type ReplayError =
  | { reason: "not_found" }
  | { reason: "not_dead" }
  | { reason: "destination_gone"; destination: string }
  | { reason: "event_gone" }
  | { reason: "config_invalid" };

/**
 * @example
 * const replayed = await replayDeadLetter(env, "3f1c….ops");
 * // → { ok: true, value: record } or { ok: false, error: { reason: "not_dead" } }
 */
export async function replayDeadLetter(env: Env, id: string): Promise<Result<DeadLetterRecord, ReplayError>> {
  const kv = env.RELAY_STATE;
  const record = await getDeadLetter(kv, id);
  if (record === null) return err({ reason: "not_found" });
  if (record.state !== "dead") return err({ reason: "not_dead" });
  const m = record.delivery;

  const config = loadRouting(env);
  if (!config.ok) return err({ reason: "config_invalid" });
  if (!Object.hasOwn(config.value.destinations, m.destination)) {
    return err({ reason: "destination_gone", destination: m.destination });
  }
  // A large event travels as a KV copy that may have expired: restore it from the dead letter.
  if (!(await restorePayload(kv, m.payload, record.event))) return err({ reason: "event_gone" });

  const claims = claimsFor(env, m.eventKey);
  if (!(await claims.reopen(m.destination))) return err({ reason: "not_dead" });
  try {
    await markReplayed(kv, record);
    await env.DELIVERIES.send(m, { contentType: "json" });
  } catch (e) {
    const fields = { triggerId: m.triggerId, destination: m.destination, deadLetterId: id };
    log("error", "dead letter replay failed; restoring it", { ...fields, outcome: "error", error: errorText(e) });
    try {
      await claims.failed(m.destination, { status: record.lastStatus, reason: record.reason, dead: true });
      await restoreDeadLetter(kv, record);
    } catch (again) {
      log("error", "dead letter restore failed", { ...fields, outcome: "error", error: errorText(again) });
    }
    throw e;
  }
  log("info", "dead letter replayed", {
    triggerId: m.triggerId,
    type: m.type,
    destination: m.destination,
    deadLetterId: id,
    outcome: "replayed",
  });
  return ok(record);
}
