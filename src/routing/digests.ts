/**
 * Which digests a session event counts for (issue 14, docs/time.md): those
 * whose conditions (app_codes, tags, categories, groups, as in rules, on the
 * event's ids) hold. Ingest tells each of their objects (src/digests); a
 * timer set for the session keeps the list, so its firings count there too.
 */
import type { EventView } from "../event/view.ts";
import { facetsOf } from "./match.ts";
import type { RoutingConfig, SetCondition } from "./types.ts";

/** Whether a set condition holds for the event's values (none: it holds). Timers use it too. */
export function holds(condition: SetCondition | undefined, present: ReadonlySet<string> | undefined): boolean {
  if (!condition) return true;
  if (!present) return false;
  const count = (values: readonly string[]) => values.filter((v) => present.has(v)).length;
  if (condition.any && count(condition.any) === 0) return false;
  if (condition.all && count(condition.all) < condition.all.length) return false;
  return !(condition.none && count(condition.none) > 0);
}

export function appMatches(item: { readonly app_codes?: readonly string[] }, event: EventView): boolean {
  return !item.app_codes || (event.appCode !== undefined && item.app_codes.includes(event.appCode));
}

/**
 * @example
 * digestsOf(config, viewEvent(close)) // → ["daily"]
 */
export function digestsOf(config: RoutingConfig, event: EventView): string[] {
  if (config.digests.length === 0 || !event.session) return [];
  const f = facetsOf(event);
  return config.digests
    .filter(
      (d) =>
        appMatches(d, event) && holds(d.tags, f.tags) && holds(d.categories, f.categories) && holds(d.groups, f.groups),
    )
    .map((d) => d.name);
}
