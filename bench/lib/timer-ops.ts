// Storage operations that timers (issue 14, docs/time.md) add, per event and per firing,
// counted from src/sessions/timers.ts and src/sessions/object.ts (each SQL statement and
// storage call), so the cost figures of docs/performance.md stay true with timers on.
// Reads and writes are SQLite rows of the session's Durable Object; the alarm is one
// setAlarm; the queue operation is the DELIVERIES send. A firing's record (for the admin API and the
// re-enqueue of a lost message, src/storage/notice.ts) is one request to the notice's claim object, as
// ingest records an event: n destinations' rows written (each upsert reads its row), all n read to set the
// alarm, one setAlarm; it replaced the KV delivery-index write.

/** One row of a storage-operations table (parts 7 and 9 of `npm run bench`). */
export interface StorageOps {
  readonly case: string;
  readonly doRequests: number;
  readonly rowsRead: number | string;
  readonly rowsWritten: number | string;
  readonly alarms: number;
  readonly queueSends: number;
  readonly kvWrites: number;
}

export const TIMER_OPS: readonly StorageOps[] = [
  // timerTypes() is one Set lookup: no Durable Object call at all.
  { case: "event no timer names", doRequests: 0, rowsRead: 0, rowsWritten: 0, alarms: 0, queueSends: 0, kvWrites: 0 },
  // noteTimers: one upsert per timer named; touch(): the session row, one read of it and of MIN(next_fire_at), setAlarm.
  {
    case: "start or stop of one timer",
    doRequests: 1,
    rowsRead: 2,
    rowsWritten: 2,
    alarms: 1,
    queueSends: 0,
    kvWrites: 0,
  },
  // due(): the due rows, one update; a sendBatch of one message per destination; the session row's
  // touched_at (retention counts from the last firing: its upsert reads it too); schedule().
  {
    case: "each firing (any destinations)",
    doRequests: 0,
    rowsRead: 4,
    rowsWritten: 2,
    alarms: 1,
    queueSends: 1,
    kvWrites: 0,
  },
  // recordQueued(): the claim object's accept (src/delivery/claims.ts), as for an ingested event.
  {
    case: "each firing, its record (n destinations)",
    doRequests: 1,
    rowsRead: "2n",
    rowsWritten: "n",
    alarms: 1,
    queueSends: 0,
    kvWrites: 0,
  },
];
