/**
 * Platform and retention limits that several layers must agree on, each
 * written once. Leaf module: imports nothing.
 */

/**
 * How long the relay keeps what it needs to replay a delivery: dead letters,
 * large-payload copies, claim rows. Also the longest `dedup_ttl_seconds`.
 * They must match: a replay needs the dead letter, its payload copy and its
 * claim row all still there.
 */
export const RETENTION_SECONDS = 30 * 24 * 3600;

/** Cloudflare Queues refuses a longer `delaySeconds` (12 hours). */
export const MAX_QUEUE_DELAY_SECONDS = 43_200;
