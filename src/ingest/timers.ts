/**
 * Ingest's one step for timers (issue 14): tells the session's object which
 * timers the accepted event starts and stops. Events no timer names cost
 * nothing (no Durable Object call). Resolves once the object has stored it,
 * so a 2xx means the timer is armed (or stopped); throws otherwise (ingest
 * answers 503 and Gitple retries, which arms nothing twice).
 */
import type { EventView } from "../event/view.ts";
import { timersOf } from "../routing/timers.ts";
import type { RoutingConfig } from "../routing/types.ts";
import { sessionFor } from "../sessions/stub.ts";

/**
 * @example
 * await noteTimers(env, config.value, view, raw.session);
 */
export async function noteTimers(
  env: Pick<Env, "SESSIONS">,
  config: RoutingConfig,
  event: EventView,
  session: unknown,
): Promise<void> {
  const note = timersOf(config, event);
  const sessionId = event.session?.id;
  if (sessionId === undefined || (note.start.length === 0 && note.stop.length === 0)) return;
  // The session's time of the event's state (Gitple's openTime on an open): the wait counts from it.
  const since = Date.parse(event.session?.[`${event.type.slice(14)}Time` as "openTime"] ?? "");
  await sessionFor(env, event.appCode, sessionId).noteTimers({
    ...note,
    appCode: event.appCode,
    sessionId,
    session,
    ...(since > 0 && { since }),
  });
}
