/**
 * What ingest tells a session's object about its timers (issue 14): the
 * timers an event starts, with everything a fire needs (so the alarm reads no
 * config), and the names of the timers it stops. Plain data: the routing
 * layer builds it (src/routing/timers.ts), src/sessions/timers.ts keeps it.
 */

/** One timer to arm, as the session's object keeps it. */
export interface TimerArm {
  readonly name: string;
  /** As configured, e.g. "5m" (shown in the notice). */
  readonly after: string;
  readonly afterMs: number;
  /** 0 without `repeat`. */
  readonly repeatMs: number;
  /** Notices in all: 1, or 1 + the repeats. */
  readonly firings: number;
  readonly destinations: readonly string[];
  readonly urgent: boolean;
  /** The digests the session counts for (src/digests): each counts the timer's firings. */
  readonly digests?: readonly string[];
}

export interface TimerNote {
  readonly start: readonly TimerArm[];
  /** Names of the timers this event cancels. */
  readonly stop: readonly string[];
}

/** The note with the session as the start event showed it (Gitple's JSON, as sent). */
export interface SessionTimerNote extends TimerNote {
  readonly appCode?: string;
  readonly sessionId: string;
  readonly session: unknown;
  /** When the start event's state began (its session's `openTime` for an open), ms; the wait counts from it. */
  readonly since?: number;
}
