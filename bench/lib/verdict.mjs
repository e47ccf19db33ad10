// The benchmark's pass/fail: figures are only worth reading if nothing was lost
// or doubled on the way, so `npm run bench` exits 1 (after printing the table)
// when the ingest run shows any of these. Trade-off: a contended machine can
// make the bench stop waiting before a slow retry lands (docs/performance.md),
// which then counts as missing: a failure to look at, not to average away.

/**
 * Why the ingest part of a run failed: every event accepted, every expected
 * delivery exactly once, nothing else delivered. Empty when it passed, or
 * when the run had no ingest part.
 *
 * @example
 * deliveryFailures({ events: 2000, ingest: { ingest: { accepted: 2000 }, delivery: { missing: 3, duplicated: 0, unexpected: 0 } } })
 * // → ["3 expected deliveries missing"]
 */
export function deliveryFailures({ events, ingest }) {
  if (!ingest) return [];
  const { accepted } = ingest.ingest;
  const { missing, duplicated, unexpected } = ingest.delivery;
  const failures = [];
  if (accepted < events) failures.push(`only ${accepted} of ${events} events accepted (202)`);
  if (missing > 0) failures.push(`${missing} expected deliveries missing`);
  if (duplicated > 0) failures.push(`${duplicated} expected deliveries arrived twice or more`);
  if (unexpected > 0) failures.push(`${unexpected} unexpected deliveries`);
  return failures;
}
