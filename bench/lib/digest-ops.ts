// Storage operations that scheduled digests (issue 14, docs/time.md) add, per event and per
// send, counted from src/digests/object.ts, src/ingest/digests.ts and src/storage/notice.ts;
// the per-event figures are measured twice: by test/integration/digests.test.ts ("the storage a
// counted event costs") and by the cost table's `digest` column (bench/cost/workerd, a close one
// digest counts, against `one`: 1 DO request, 2 rows read, 1 row written more). Reads and writes are SQLite rows of the digest's Durable Object (one per digest
// name); a send's rows grow with the hours its period covers (24 for covers = "24h").

import type { StorageOps } from "./timer-ops.ts";

export const DIGEST_OPS: readonly StorageOps[] = [
  // digestNote() is undefined for inprogress, messages and other types; digestsOf() for sessions no digest matches.
  { case: "event no digest counts", doRequests: 0, rowsRead: 0, rowsWritten: 0, alarms: 0, queueSends: 0, kvWrites: 0 },
  // note(): the hour's bucket read, its upsert (the conflict check reads it once more); per matching digest.
  {
    case: "open or close, per digest",
    doRequests: 1,
    rowsRead: 2,
    rowsWritten: 1,
    alarms: 0,
    queueSends: 0,
    kvWrites: 0,
  },
  // The same note() from the session's alarm (sessions/timers.ts) or the dead-letter consumer.
  {
    case: "timer or dead letter, per digest",
    doRequests: 1,
    rowsRead: 2,
    rowsWritten: 1,
    alarms: 0,
    queueSends: 0,
    kvWrites: 0,
  },
  // alarm(): meta, the period's buckets; a sendBatch of one message per destination;
  // meta upsert, the buckets older than the next period deleted (read and written), setAlarm.
  // Measured for a 6h period of 5 buckets, 2 deleted: 10 rows read, 3 written.
  {
    case: "each send (24h period)",
    doRequests: 1,
    rowsRead: "2 + 48",
    rowsWritten: "1 + 24",
    alarms: 1,
    queueSends: 1,
    kvWrites: 0,
  },
  // Its record (src/storage/notice.ts recordQueued): the claim object's accept, as for an ingested event.
  {
    case: "each send, its record (n destinations)",
    doRequests: 1,
    rowsRead: "2n",
    rowsWritten: "n",
    alarms: 1,
    queueSends: 0,
    kvWrites: 0,
  },
];
