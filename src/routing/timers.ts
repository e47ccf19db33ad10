/**
 * Which timers an event starts or stops (issue 14, docs/time.md): the
 * routing side of src/sessions/timers.ts. Ingest sends the answer to the
 * session's object; `npm run routes -- explain` prints it.
 *
 * A start needs the timer's conditions (app_codes, tags, categories, groups,
 * as in rules); a stop needs only the type and the appCode condition: a
 * session's tags may change between its open and its close, and a stop that
 * is not recorded could let a timer fire for a session already picked up.
 * Per config, the set of start and stop types is computed once, so an event
 * no timer names costs one Set lookup and no Durable Object call.
 */
import { durationSeconds, MAX_TIMER_REPEATS } from "../config/durations.ts";
import type { Timer } from "../config/types.ts";
import type { EventView } from "../event/view.ts";
import type { TimerArm, TimerNote } from "../sessions/timer-note.ts";
import { appMatches, digestsOf, holds } from "./digests.ts";
import { facetsOf } from "./match.ts";
import type { RoutingConfig } from "./types.ts";

export type { TimerArm, TimerNote };

const NONE: TimerNote = { start: [], stop: [] };
const typesOf = new WeakMap<RoutingConfig, ReadonlySet<string>>();

/** Whether any timer starts or stops on this event type (one Set lookup once computed). */
export function timerTypes(config: RoutingConfig): ReadonlySet<string> {
  let types = typesOf.get(config);
  if (!types) {
    const set = new Set<string>();
    for (const t of config.timers) {
      set.add(t.start);
      for (const s of t.stop) set.add(s);
    }
    types = set;
    typesOf.set(config, types);
  }
  return types;
}

/** The timer as the session's object keeps it. */
export function armOf(timer: Timer): TimerArm {
  const repeat = timer.repeat === undefined ? undefined : durationSeconds(timer.repeat);
  return {
    name: timer.name,
    after: timer.after,
    afterMs: (durationSeconds(timer.after) ?? 0) * 1000,
    repeatMs: (repeat ?? 0) * 1000,
    firings: repeat === undefined ? 1 : 1 + MAX_TIMER_REPEATS,
    destinations: [...timer.destinations],
    urgent: timer.urgent,
  };
}

/**
 * The timers an event of a session starts and stops; none for an event
 * without a session id.
 *
 * @example
 * timersOf(config, viewEvent({ type: "session_state_open", triggerId: "t", session: { id: "s1", tags: ["VIP"] } }))
 * // → { start: [{ name: "unassigned-5m", afterMs: 300000, … }], stop: [] }
 */
export function timersOf(config: RoutingConfig, event: EventView): TimerNote {
  if (!timerTypes(config).has(event.type) || !event.session?.id) return NONE;
  const start: TimerArm[] = [];
  const stop: string[] = [];
  const facets = facetsOf(event);
  let digests: string[] | undefined;
  for (const timer of config.timers) {
    if (!appMatches(timer, event)) continue;
    if (timer.stop.includes(event.type)) stop.push(timer.name);
    else if (
      timer.start === event.type &&
      holds(timer.tags, facets.tags) &&
      holds(timer.categories, facets.categories) &&
      holds(timer.groups, facets.groups)
    ) {
      digests ??= digestsOf(config, event);
      start.push({ ...armOf(timer), ...(digests.length > 0 && { digests }) });
    }
  }
  return start.length === 0 && stop.length === 0 ? NONE : { start, stop };
}
