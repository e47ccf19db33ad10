/**
 * The one contract every destination kind implements: `DestinationKind`, the
 * object `src/destinations/<kind>/index.ts` exports and registry.ts maps by
 * `type`. Its `deliver()` resolves to a delivered outcome, or to a failure
 * that says whether a retry can help and why (Alertmanager's notifiers return
 * `(retry bool, err)` the same way). It never throws: network errors and
 * timeouts are outcomes too. Its `render()` is what `deliver()` sends and what
 * `npm run routes -- explain --render` shows, so the two cannot differ.
 *
 * Trade-off: `render()` is synchronous and secret-free (the preview has no
 * secrets), so what needs a secret or a clock of its own (a signature, a
 * Message-ID) is added by `deliver()` after rendering, never inside the body.
 */
import type { KindChecks } from "../config/check.ts";
import type { KindSchemas } from "../config/schema.ts";
import type { AnyRoutingConfig } from "../config/types.ts";
import type { EventView } from "../event/view.ts";
import type { Resolution } from "../gitple/resolve.ts";

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
  readonly config: AnyRoutingConfig;
  /** Reads a Worker secret or var by name; undefined when absent or empty. */
  readonly secret: (name: string) => string | undefined;
  /** The Worker's bindings, for kinds that use one (e.g. `send_email`). */
  readonly env: Env;
  /** Abort the attempt after this long. */
  readonly timeoutMs: number;
  /** The event's ids resolved to names (issue 10); absent without `[vars.ROUTING.gitple]`. */
  readonly names?: Resolution;
}

/** What rendering needs: a send context without the secrets, bindings or timeout; `now` for time-stamped bodies. */
export type RenderContext = Pick<SendContext, "event" | "raw" | "destination" | "rules" | "config"> & {
  readonly now?: Date;
  /** The event's ids resolved to names (issue 10): formatters show names, ids stay in a footer. */
  readonly names?: Resolution;
};

/** One rendered message, as the kind sends it (before any secret-bearing header). */
export interface Rendered {
  /** The request's `content-type`. */
  readonly contentType: string;
  /** Headers that are part of the message (no secrets); most kinds have none. */
  readonly headers: Readonly<Record<string, string>>;
  /** The request body (for email: the message's parts as JSON; the MIME framing or Resend's request is not shown). */
  readonly body: string;
}

/** A destination kind: everything the relay knows about one `type`. */
export interface DestinationKind<C extends { readonly type: string }> extends KindChecks<C> {
  readonly type: C["type"];
  /** The kind's strict schema, `type` a literal, `template` included where the kind takes one. */
  readonly schema: KindSchemas[number];
  /** Names of the Worker secrets the destination reads when it sends (by convention: see src/config/shared.ts). */
  readonly secrets: (dest: C) => readonly string[];
  /** Sends one attempt makes in a row, each with its own timeout (the attempt's budget is built from it). */
  readonly sendsPerAttempt: (dest: C) => number;
  /** The message for this event, exactly as `deliver` sends it. */
  readonly render: (dest: C, ctx: RenderContext) => Rendered;
  /** Delivers one event. Never throws. */
  readonly deliver: (dest: C, ctx: SendContext) => Promise<SendOutcome>;
}

/**
 * A JSON message.
 *
 * @example
 * json({ text: "hi" }) // → { contentType: "application/json", headers: {}, body: '{"text":"hi"}' }
 */
export function json(payload: unknown): Rendered {
  return { contentType: "application/json", headers: {}, body: JSON.stringify(payload) };
}
