/**
 * The one contract every destination kind implements: `send()` resolves to a
 * delivered outcome, or to a failure that says whether a retry can help and
 * why (Alertmanager's notifiers return `(retry bool, err)` the same way). It
 * never throws: network errors and timeouts are outcomes too.
 */
import type { EventView } from "../event/view.ts";
import type { RoutingConfig } from "../routing/types.ts";

export type SendOutcome =
  | { readonly ok: true; readonly status: number }
  | {
      readonly ok: false;
      /** True for network errors, timeouts, 408, 429 and 5xx. */
      readonly retryable: boolean;
      /** Short and safe to log: never a URL, a secret or our request body. May quote ≤200 chars of the receiver's answer. */
      readonly reason: string;
      /** The receiver's HTTP status, when there was one. */
      readonly status?: number;
      /** The receiver asked us to wait this long (429 Retry-After, Discord's retry_after). */
      readonly retryAfterSeconds?: number;
    };

/** Everything a destination needs to deliver one event. */
export interface SendContext {
  readonly event: EventView;
  /** The event body exactly as Gitple sent it. */
  readonly raw: string;
  /** The destination's name in the routing config. */
  readonly destination: string;
  /** The matched rules that sent the event here, in order; empty when it came by the fallback. */
  readonly rules: readonly string[];
  readonly config: RoutingConfig;
  /** Reads a Worker secret or var by name; undefined when absent or empty. */
  readonly secret: (name: string) => string | undefined;
  /** The Worker's bindings, for kinds that use one (e.g. `send_email`). */
  readonly env: Env;
  /** Abort the attempt after this long. */
  readonly timeoutMs: number;
}
