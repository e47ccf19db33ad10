/**
 * Every destination kind, by its `type`: adding a kind is one folder
 * (`src/destinations/<kind>/index.ts` exporting a `DestinationKind`) and one
 * line in `KINDS`. The config union, the schema choice, the cross-field and
 * binding checks, the attempt budget, the sender and the preview all come
 * from this map, so a kind that validates can always send and be shown.
 *
 * The map is checked by the compiler: `DestinationConfig` is the union of
 * the kinds' configs, and the `satisfies` clause makes each key the `type` of
 * the kind it maps to, for every type of the union. Trade-off: the union is
 * derived from the map (not written by hand next to it), so the check is that
 * keys and kinds agree rather than that a hand-written list is complete.
 */
import type { DeliveryPolicy } from "../config/types.ts";
import type { DestinationKind, RenderContext, Rendered, SendContext, SendOutcome } from "./contract.ts";
import { discordKind } from "./discord/index.ts";
import { emailKind } from "./email/index.ts";
import { googleChatKind } from "./google-chat/index.ts";
import { slackKind } from "./slack/index.ts";
import { teamsKind } from "./teams/index.ts";
import { webhookKind } from "./webhook/index.ts";

/** In this order the kinds are listed in messages: slack, webhook, discord, teams, google-chat, email. */
const ALL = {
  slack: slackKind,
  webhook: webhookKind,
  discord: discordKind,
  teams: teamsKind,
  "google-chat": googleChatKind,
  email: emailKind,
};

type ConfigOf<K> = K extends DestinationKind<infer C> ? C : never;

/** One destination's config, whatever its kind. */
export type DestinationConfig = ConfigOf<(typeof ALL)[keyof typeof ALL]>;

/** The kinds, keyed by `type`; each key is its kind's `type`, and every type has a kind. */
export const KINDS = ALL satisfies {
  readonly [T in DestinationConfig["type"]]: DestinationKind<Extract<DestinationConfig, { readonly type: T }>>;
};

/** The kind of a destination, typed for its config. */
function kindOf<C extends DestinationConfig>(dest: C): DestinationKind<C> {
  return KINDS[dest.type] as unknown as DestinationKind<C>;
}

/**
 * Delivers one event to one destination, whatever its kind. Never throws.
 *
 * @example
 * await sendTo(config.destinations["ops"], ctx) // → { ok: true, status: 200 }
 */
export function sendTo(dest: DestinationConfig, ctx: SendContext): Promise<SendOutcome> {
  const kind = Object.hasOwn(KINDS, dest.type) ? kindOf(dest) : undefined;
  if (!kind)
    return Promise.resolve({ ok: false, retryable: false, reason: `unknown destination type "${String(dest.type)}"` });
  return kind.deliver(dest, ctx);
}

/**
 * What a destination would receive for an event, without sending it: the
 * kind's `render`, the very function its sender calls (`npm run routes --
 * explain --render`).
 *
 * @example
 * render({ type: "slack", webhook_url_secret: "SLACK_OPS_URL", include_contact: false }, ctx)
 * // → { contentType: "application/json", headers: {}, body: '{"text":"Session closed (userCancel): …","blocks":[…]}' }
 */
export function render(dest: DestinationConfig, ctx: RenderContext): Rendered {
  return kindOf(dest).render(dest, ctx);
}

/**
 * What `npm run routes -- explain --render` shows: the render's content type
 * and body (its headers are not part of the CLI's output).
 *
 * @example
 * preview(dest, ctx) // → { contentType: "application/json", body: '{"text":…}' }
 */
export function preview(dest: DestinationConfig, ctx: RenderContext): Pick<Rendered, "contentType" | "body"> {
  const { contentType, body } = render(dest, ctx);
  return { contentType, body };
}

/** Names of the Worker secrets a destination reads when it sends. */
export function secretNamesOf(dest: DestinationConfig): readonly string[] {
  return kindOf(dest).secrets(dest);
}

/** Time an attempt needs besides waiting for the destination. */
export const ATTEMPT_MARGIN_MS = 30_000;

/**
 * Sends one attempt makes in a row, each with its own timeout (the kind's
 * `sendsPerAttempt`). Unknown (a destination no longer in the config): 1,
 * since the attempt then sends nothing.
 *
 * @example
 * sequentialSends({ type: "email", provider: "cloudflare", to: ["a@x.io", "b@x.io"], … }) // → 2
 * sequentialSends({ type: "slack", webhook_url_secret: "SLACK_URL" }) // → 1
 */
export function sequentialSends(destination: DestinationConfig | undefined): number {
  return destination && Object.hasOwn(KINDS, destination.type) ? kindOf(destination).sendsPerAttempt(destination) : 1;
}

/**
 * The longest one attempt at `destination` can take, in ms: the lease to
 * claim it for, since a copy that claims the pair while an attempt is still
 * sending would send again. Trade-off: a consumer that dies mid-attempt holds
 * the pair for the whole budget, so a 50-recipient email waits longer to be retried.
 *
 * @example
 * attemptBudgetMs({ type: "email", provider: "cloudflare", to: ["a@x.io", "b@x.io", "c@x.io"], … }, { timeout_seconds: 10, … })
 * // → 60_000 (3 × 10 s + 30 s)
 */
export function attemptBudgetMs(
  destination: DestinationConfig | undefined,
  policy: Pick<DeliveryPolicy, "timeout_seconds">,
): number {
  return Math.ceil(policy.timeout_seconds * 1000) * sequentialSends(destination) + ATTEMPT_MARGIN_MS;
}
