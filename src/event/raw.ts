/**
 * An event as Gitple sent it, once parsed (src/ingest/parse.ts): a JSON object
 * with non-empty string `triggerId` and `type`, the rest unread. Kept here,
 * below ingest and delivery, because both read it: ingest on the way in, the
 * consumer when it parses the body again from the queue.
 */
export type RawEvent = Record<string, unknown> & { triggerId: string; type: string };
