/**
 * The validated routing config (what `validateRouting` returns) and the
 * routing decision. Matching works only on this immutable, already-checked
 * structure, never on the raw `ROUTING` var (Alertmanager's config.Route vs
 * dispatch.Route split).
 */
import type { DestinationConfig } from "../destinations/config.ts";

/** A set condition over one of the event's lists: every given part must hold. */
export interface SetCondition {
  /** At least one of these values is present. */
  readonly any?: readonly string[];
  /** Every one of these values is present. */
  readonly all?: readonly string[];
  /** None of these values is present. */
  readonly none?: readonly string[];
}

/** An operator's wording for a message (issue 3 fills in the placeholders). */
export interface Template {
  readonly title?: string;
  readonly text?: string;
}

export interface Rule {
  readonly name: string;
  readonly events?: readonly string[];
  readonly tags?: SetCondition;
  readonly categories?: SetCondition;
  readonly groups?: SetCondition;
  readonly app_codes?: readonly string[];
  readonly destinations: readonly string[];
  readonly stop: boolean;
  readonly template?: Template;
}

export interface DeliveryPolicy {
  /** Attempts per destination before the delivery is dead-lettered. */
  readonly max_attempts: number;
  /** First retry delay in seconds; doubles each attempt. */
  readonly backoff_seconds: number;
  /** Cap on the retry delay, at most the queue's 43200 s limit. */
  readonly max_backoff_seconds: number;
  /** How long one attempt may wait for the destination's answer. */
  readonly timeout_seconds: number;
}

export interface RoutingConfig {
  readonly dedup_ttl_seconds: number;
  readonly fallback: readonly string[];
  readonly delivery: DeliveryPolicy;
  readonly destinations: Readonly<Record<string, DestinationConfig>>;
  readonly rules: readonly Rule[];
}

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
