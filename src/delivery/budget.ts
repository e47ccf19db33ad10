/**
 * How long one delivery attempt may take at most, which is how long the
 * claim's lease must last: a copy that claims the pair while an attempt is
 * still sending would send again.
 *
 * Every send waits at most `timeout_seconds`, but an attempt may make several
 * sends one after another: email through the `send_email` binding sends once
 * per recipient (src/destinations/email/cloudflare.ts). A margin covers the
 * rest of the attempt (reading the stored event, formatting, the claim's
 * round trips). Trade-off: a consumer that dies mid-attempt holds the pair
 * for the whole budget, so a 50-recipient email waits longer to be retried.
 */
import type { DestinationConfig } from "../destinations/config.ts";
import type { DeliveryPolicy } from "../routing/types.ts";

/** Time an attempt needs besides waiting for the destination. */
export const ATTEMPT_MARGIN_MS = 30_000;

/**
 * Sends one attempt makes in a row, each with its own timeout: one per
 * recipient for email through the binding, one for everything else (Resend
 * takes every recipient in one request). Unknown (a destination no longer in
 * the config): 1, since the attempt then sends nothing.
 *
 * @example
 * sequentialSends({ type: "email", provider: "cloudflare", to: ["a@x.io", "b@x.io"], … }) // → 2
 * sequentialSends({ type: "slack", webhook_url_secret: "SLACK_URL" }) // → 1
 */
export function sequentialSends(destination: DestinationConfig | undefined): number {
  if (destination?.type === "email" && destination.provider === "cloudflare") return Math.max(1, destination.to.length);
  return 1;
}

/**
 * The longest one attempt at `destination` can take, in ms: the lease to claim it for.
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
