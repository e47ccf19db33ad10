/**
 * The retry decision after a failed attempt: retry later (and when), or give
 * up and dead-letter. Pure, so it is tested as a table.
 *
 * Retryable failures back off exponentially (`backoff_seconds`, doubling,
 * capped by `max_backoff_seconds`); a receiver's own Retry-After wins when it
 * asks for longer. Everything is capped at the queue's 43200 s delay limit.
 */

import { MAX_QUEUE_DELAY_SECONDS } from "../config/shared.ts";
import type { SendOutcome } from "../destinations/contract.ts";
import type { DeliveryPolicy } from "../routing/types.ts";

export type RetryDecision = { action: "retry"; delaySeconds: number } | { action: "dead"; reason: string };

/** The delay before attempt `attempt + 1`, for a failure that did not say how long to wait. */
export function backoffSeconds(attempt: number, policy: DeliveryPolicy): number {
  const exp = policy.backoff_seconds * 2 ** Math.max(0, attempt - 1);
  return Math.min(Math.ceil(Math.min(exp, policy.max_backoff_seconds)), MAX_QUEUE_DELAY_SECONDS);
}

/**
 * @example
 * decideRetry({ ok: false, retryable: true, reason: "HTTP 503", status: 503 }, 1, policy)
 * // → { action: "retry", delaySeconds: 30 }
 */
export function decideRetry(
  outcome: Extract<SendOutcome, { ok: false }>,
  attempt: number,
  policy: DeliveryPolicy,
): RetryDecision {
  if (!outcome.retryable) return { action: "dead", reason: outcome.reason };
  if (attempt >= policy.max_attempts) {
    return { action: "dead", reason: `gave up after ${attempt} attempts; last: ${outcome.reason}` };
  }
  const backoff = backoffSeconds(attempt, policy);
  const asked = outcome.retryAfterSeconds ?? 0;
  return { action: "retry", delaySeconds: Math.min(Math.max(backoff, Math.ceil(asked)), MAX_QUEUE_DELAY_SECONDS) };
}
