/**
 * Names at ingest (issue 10): resolve the event's ids within one `timeout_seconds` budget, and
 * say whether routing must wait for them (src/routing/names.ts decides both). A 401 is logged once
 * per isolate and shown in /health (src/gitple/health.ts); the event is routed on ids.
 */
import type { EventView } from "../event/view.ts";
import { noteResolution } from "../gitple/health.ts";
import type { Resolution } from "../gitple/resolve.ts";
import { compactNames, mustDefer, nameLookup, needsNames } from "../routing/names.ts";
import type { RoutingConfig } from "../routing/types.ts";

export interface IngestNames {
  /** What travels to delivery; absent without the Open API (or when too large to carry). */
  readonly names?: Resolution;
  /** Route later (one routing message): a rule needs names Gitple did not give in time. */
  readonly deferred: boolean;
}

/**
 * @example
 * const { names, deferred } = await namesAtIngest(env, config, raw, view);
 * const decision = deferred ? undefined : route(config, view, names);
 */
export async function namesAtIngest(
  env: Pick<Env, "RELAY_STATE">,
  config: RoutingConfig,
  raw: unknown,
  view: EventView,
): Promise<IngestNames> {
  const lookup = nameLookup(env, config, raw, view);
  if (lookup === undefined) return { deferred: false };
  const res = await lookup.resolve();
  noteResolution(res, view.appCode ?? "");
  if (mustDefer(res, needsNames(config, view))) return { deferred: true };
  const names = compactNames(res);
  return names ? { names, deferred: false } : { deferred: false };
}
