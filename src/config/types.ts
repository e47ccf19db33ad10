/**
 * The validated routing config (what `checkConfig` returns). Matching works
 * only on this immutable, already-checked structure, never on the raw
 * `ROUTING` var (Alertmanager's config.Route vs dispatch.Route split).
 *
 * Trade-off: the config layer sits below the destination kinds, so it cannot
 * name their config types; `RoutingConfigOf<D>` takes the destination union
 * as a parameter and src/routing/types.ts binds it to the registry's
 * `DestinationConfig` as `RoutingConfig`. Code below the kinds (formatters,
 * kinds themselves) uses `AnyRoutingConfig`, which every bound config is.
 */
import type { GitpleConfig } from "../gitple/config.ts";
import type { Template } from "./shared.ts";

export type { Template };

/** What every destination config has, whatever its kind. */
export interface BaseDestinationConfig {
  readonly type: string;
  readonly template?: Template;
}

/** A set condition over one of the event's lists: every given part must hold. */
export interface SetCondition {
  /** At least one of these values is present. */
  readonly any?: readonly string[];
  /** Every one of these values is present. */
  readonly all?: readonly string[];
  /** None of these values is present. */
  readonly none?: readonly string[];
}

export interface Rule {
  readonly name: string;
  readonly events?: readonly string[];
  readonly tags?: SetCondition;
  readonly categories?: SetCondition;
  readonly groups?: SetCondition;
  /** The customer's meta: every key must hold one of its values (compared as strings). */
  readonly meta?: Readonly<Record<string, readonly string[]>>;
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

export interface RoutingConfigOf<D extends BaseDestinationConfig> {
  /** IANA zone times in messages are shown in (`Asia/Seoul`); absent: UTC. */
  readonly timezone?: string;
  readonly dedup_ttl_seconds: number;
  readonly fallback: readonly string[];
  readonly delivery: DeliveryPolicy;
  readonly destinations: Readonly<Record<string, D>>;
  readonly rules: readonly Rule[];
  /** `[vars.ROUTING.gitple]`: the Open API for names (issue 10); absent = ids as they come. */
  readonly gitple?: GitpleConfig;
}

/** A routing config whatever its destination kinds. */
export type AnyRoutingConfig = RoutingConfigOf<BaseDestinationConfig>;
