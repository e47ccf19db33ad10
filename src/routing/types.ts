/**
 * The routing config bound to this Worker's destination kinds, and the
 * routing decision. The config's shape lives in src/config/types.ts (below
 * the kinds, so generic over them); this binds it to the registry's union.
 */
import type { RoutingConfigOf } from "../config/types.ts";
import type { DestinationConfig } from "../destinations/registry.ts";

export type { DeliveryPolicy, Rule, SetCondition, Template } from "../config/types.ts";

export type RoutingConfig = RoutingConfigOf<DestinationConfig>;

/** One destination an event goes to, with the matched rules (in order) that sent it there; empty = fallback. */
export interface RoutedDestination {
  readonly name: string;
  readonly rules: readonly string[];
}

/** Why a rule did or did not match: `failed` names the first condition that did not hold. */
export interface RuleVerdict {
  readonly name: string;
  readonly matched: boolean;
  /** e.g. `events`, `tags.any`, `categories.none`, `app_codes`, or `not evaluated (stopped by "vip")`. */
  readonly failed?: string;
}

export interface RouteDecision {
  /** In rule order, then each rule's own order, each name once; the fallback's when nothing matched. */
  readonly destinations: readonly RoutedDestination[];
  readonly rules: readonly RuleVerdict[];
  readonly fallback: boolean;
}
