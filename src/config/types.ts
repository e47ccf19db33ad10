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
import type { Language } from "../format/words.ts";
import type { GitpleConfig } from "../gitple/config.ts";
import type { Template } from "./shared.ts";

export type { Template };

/** What every destination config has, whatever its kind. */
export interface BaseDestinationConfig {
  readonly type: string;
  readonly template?: Template;
  /** When notices are held rather than sent (docs/time.md); in the config's `timezone`. */
  readonly quiet_hours?: readonly QuietWindow[];
  /** What happens to held notices when the window ends; default "defer". */
  readonly during_quiet?: "defer" | "digest";
  /** The language of the relay's own words in its messages (src/format/words.ts); absent: "en". */
  readonly language?: Language;
}

/** One quiet window: whole days, a [from, to) span of the day ("HH:MM", may cross midnight), or both. */
export interface QuietWindow {
  readonly days?: readonly string[];
  readonly from?: string;
  readonly to?: string;
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
  /** Its notices ignore quiet hours. */
  readonly urgent: boolean;
  readonly template?: Template;
}

/** `[[vars.ROUTING.timers]]`: a notice when a session's next event is late (issue 14, docs/time.md). */
export interface Timer {
  readonly name: string;
  /** The event that sets the timer (a session event). */
  readonly start: string;
  /** Events of the same session that cancel it. */
  readonly stop: readonly string[];
  /** A duration, "90s" … "7d" (src/config/durations.ts). */
  readonly after: string;
  /** Fire again every `repeat` until stopped, at most MAX_TIMER_REPEATS times. */
  readonly repeat?: string;
  readonly destinations: readonly string[];
  readonly tags?: SetCondition;
  readonly categories?: SetCondition;
  readonly groups?: SetCondition;
  readonly app_codes?: readonly string[];
  /** Its notices ignore quiet hours. */
  readonly urgent: boolean;
}

/** `[[vars.ROUTING.digests]]`: a scheduled summary of a period's sessions (issue 14, docs/time.md). */
export interface Digest {
  readonly name: string;
  /** "HH:MM" in `timezone`: when it is sent, and the end of the period it covers. */
  readonly at: string;
  /** Days it is sent on (sun … sat); absent: every day. */
  readonly days?: readonly string[];
  /** The period summarised, ending at `at`: whole hours, "1h" … "7d". */
  readonly covers: string;
  readonly destinations: readonly string[];
  readonly tags?: SetCondition;
  readonly categories?: SetCondition;
  readonly groups?: SetCondition;
  readonly app_codes?: readonly string[];
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
  readonly timers: readonly Timer[];
  readonly digests: readonly Digest[];
}

/** A routing config whatever its destination kinds. */
export type AnyRoutingConfig = RoutingConfigOf<BaseDestinationConfig>;
