/**
 * Why an event goes where it goes: the answer shared by `npm run routes --
 * explain --json` and `POST /admin/explain`, so the CLI and the deployed
 * Worker can never disagree. It sends nothing.
 */
import type { EventView } from "../event/view.ts";
import type { Resolution } from "../gitple/resolve.ts";
import { route } from "./match.ts";
import type { RoutingConfig, RuleVerdict } from "./types.ts";

export interface Explanation {
  /** The same list, in the same order, as `POST /events` would answer. */
  readonly destinations: readonly string[];
  /** True when no rule matched and the fallback applied. */
  readonly fallback: boolean;
  /** Every rule in evaluation order: matched, or the first condition that failed. */
  readonly rules: readonly RuleVerdict[];
}

/**
 * @example
 * explain(config, viewEvent(event))
 * // → { destinations: ["vip-slack"], fallback: false, rules: [{ name: "vip", matched: true }, { name: "billing", matched: false, failed: "categories.any" }] }
 */
export function explain(config: RoutingConfig, event: EventView, names?: Resolution): Explanation {
  const decision = route(config, event, names);
  return {
    destinations: decision.destinations.map((d) => d.name),
    fallback: decision.fallback,
    rules: decision.rules,
  };
}
