/**
 * What a destination would receive for an event, without sending it: the
 * request body behind `npm run routes -- explain --render`.
 *
 * One function for every kind, an exhaustive switch like registry.ts, so a new
 * kind does not compile until its preview is wired. Each case must build the
 * body exactly as that kind's sender does. Trade-off: the body is built twice
 * in code (here and in the sender) rather than the sender calling this, so a
 * sender change needs the same change here; the unit test compares the two.
 */
import type { DestinationConfig } from "./config.ts";
import type { SendContext } from "./contract.ts";
import { formatSlack } from "./slack/format.ts";

/** What a preview needs: a send context without the secrets, bindings or timeout. */
export type PreviewContext = Pick<SendContext, "event" | "raw" | "destination" | "rules" | "config">;

export interface Preview {
  /** The request's `content-type`. */
  readonly contentType: string;
  /** The request body, as it would be sent. */
  readonly body: string;
}

/**
 * @example
 * preview({ type: "slack", webhook_url_secret: "SLACK_OPS_URL", include_contact: false }, ctx)
 * // → { contentType: "application/json", body: '{"text":"Session closed (userCancel): …","blocks":[…]}' }
 */
export function preview(dest: DestinationConfig, ctx: PreviewContext): Preview {
  switch (dest.type) {
    case "slack":
      return { contentType: "application/json", body: JSON.stringify(formatSlack(ctx.event, dest)) };
    default: {
      // A compile error here means a new destination kind has no preview yet.
      const unwired: never = dest.type;
      return { contentType: "text/plain", body: `(no preview for destination type "${String(unwired)}")` };
    }
  }
}
