// Dead letters against the real local KV: the key layout existing records are
// stored in, the summary projection, and write, list, get, delete, replay mark.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import {
  DEAD_LETTER_TTL_SECONDS,
  type DeadLetterRecord,
  type DeadLetterSummary,
  deadLetterKey,
  deleteDeadLetter,
  getDeadLetter,
  listDeadLetters,
  markReplayed,
  type NewDeadLetter,
  restoreDeadLetter,
  summaryOf,
  writeDeadLetter,
} from "../../../src/storage/dead-letters.ts";
import { deliveryId } from "../../../src/storage/delivery-message.ts";
import { eventKey } from "../../../src/storage/event-key.ts";

const kv = env.RELAY_STATE;

async function entry(deadAt: Date, overrides: Partial<NewDeadLetter> = {}): Promise<NewDeadLetter> {
  const triggerId = crypto.randomUUID();
  const delivery = {
    v: 1 as const,
    eventKey: await eventKey("TEST_APP", triggerId),
    triggerId,
    appCode: "TEST_APP",
    type: "session_state_close",
    destination: "main-slack",
    rules: ["closes"],
    acceptedAt: deadAt.toISOString(),
    payload: { inline: `{"triggerId":"${triggerId}"}` },
  };
  return {
    id: deliveryId(delivery),
    triggerId,
    destination: "main-slack",
    reason: "HTTP 404: channel_not_found",
    attempts: 1,
    deadAt: deadAt.toISOString(),
    appCode: "TEST_APP",
    type: "session_state_close",
    lastStatus: 404,
    delivery,
    event: delivery.payload.inline,
    ...overrides,
  };
}

/** Every live dead letter, all pages. */
async function listAll(): Promise<DeadLetterSummary[]> {
  const items: DeadLetterSummary[] = [];
  let cursor: string | undefined;
  do {
    const page = await listDeadLetters(kv, { limit: 100, cursor });
    items.push(...page.items);
    cursor = page.cursor ?? undefined;
  } while (cursor !== undefined);
  return items;
}

describe("dead letters in KV", () => {
  it("writes dead:<id> and dead-index:<inverted ms, 13 digits>:<id> with the summary as metadata, 30 days", async () => {
    const deadAt = new Date("2026-03-01T00:00:00.000Z");
    const before = Math.floor(Date.now() / 1000);
    const record = await writeDeadLetter(kv, await entry(deadAt));
    const inverted = String(9_999_999_999_999 - deadAt.getTime()).padStart(13, "0");
    expect(record.indexKey).toBe(`dead-index:${inverted}:${record.id}`);
    expect(record.state).toBe("dead");
    expect(await kv.get(`dead:${record.id}`, "json")).toEqual(record);
    expect(deadLetterKey(record.id)).toBe(`dead:${record.id}`);
    const listed = (await kv.list({ prefix: record.indexKey })).keys[0];
    expect(listed?.metadata).toEqual(summaryOf(record));
    expect(listed?.expiration).toBeGreaterThanOrEqual(before + DEAD_LETTER_TTL_SECONDS);
    // The record keeps the fields it always had, in the order they were always written.
    expect(Object.keys(JSON.parse((await kv.get(`dead:${record.id}`)) ?? "{}"))).toEqual([
      "id",
      "triggerId",
      "destination",
      "reason",
      "attempts",
      "deadAt",
      "appCode",
      "type",
      "lastStatus",
      "state",
      "indexKey",
      "delivery",
      "event",
    ]);
  });

  it("projects a record to its summary", async () => {
    const record = await writeDeadLetter(kv, await entry(new Date()));
    const { id, triggerId, destination, reason, attempts, deadAt } = record;
    expect(summaryOf(record)).toEqual({ id, triggerId, destination, reason, attempts, deadAt });
  });

  it("cuts the index metadata's free text to KV's 1024 bytes, keeping the record whole", async () => {
    const long = "\u0000".repeat(256);
    const record = await writeDeadLetter(kv, await entry(new Date(), { triggerId: long, reason: "이유 ".repeat(100) }));
    const meta = (await kv.list({ prefix: record.indexKey })).keys[0]?.metadata as DeadLetterSummary;
    expect(new TextEncoder().encode(JSON.stringify(meta)).byteLength).toBeLessThanOrEqual(1024);
    expect(meta.triggerId.endsWith("…")).toBe(true);
    expect((await getDeadLetter(kv, record.id))?.triggerId).toBe(long);
  });

  it("lists newest first, and reads an index entry written by an older deploy", async () => {
    const base = Date.now() - 10 * 60_000;
    const older = await writeDeadLetter(kv, await entry(new Date(base)));
    const newer = await writeDeadLetter(kv, await entry(new Date(base + 1000)));
    // As written before src/storage existed: the same two keys, by hand.
    const legacy = await entry(new Date(base + 2000));
    const legacyIndex = `dead-index:${String(9_999_999_999_999 - (base + 2000)).padStart(13, "0")}:${legacy.id}`;
    const legacyRecord: DeadLetterRecord = { ...legacy, state: "dead", indexKey: legacyIndex };
    await kv.put(`dead:${legacy.id}`, JSON.stringify(legacyRecord));
    await kv.put(legacyIndex, "", { metadata: summaryOf(legacyRecord) });

    const mine = [legacy.id, newer.id, older.id];
    expect((await listAll()).map((i) => i.id).filter((id) => mine.includes(id))).toEqual(mine);
  });

  it("takes a replayed record off the listing but keeps it readable until its 30 days end", async () => {
    const deadAt = new Date(Date.now() - 60_000);
    const record = await writeDeadLetter(kv, await entry(deadAt));
    const now = new Date();
    await markReplayed(kv, record, now);
    expect(await getDeadLetter(kv, record.id)).toEqual({ ...record, state: "replayed", replayedAt: now.toISOString() });
    expect((await kv.list({ prefix: record.indexKey })).keys).toEqual([]);
    expect((await listAll()).map((i) => i.id)).not.toContain(record.id);
    const expiration = (await kv.list({ prefix: deadLetterKey(record.id) })).keys[0]?.expiration;
    expect(expiration).toBe(Math.floor(deadAt.getTime() / 1000) + DEAD_LETTER_TTL_SECONDS);

    // A replay that failed half-way puts it back as it was.
    await restoreDeadLetter(kv, record);
    expect(await getDeadLetter(kv, record.id)).toEqual(record);
    expect((await listAll()).map((i) => i.id)).toContain(record.id);
  });

  it("skips an index entry whose record names another entry (a notice delivered twice)", async () => {
    const first = await writeDeadLetter(kv, await entry(new Date(Date.now() - 5000)));
    const again = await writeDeadLetter(kv, { ...first, deadAt: new Date(Date.now() - 4000).toISOString() });
    const listed = (await listAll()).filter((i) => i.id === first.id);
    expect(listed).toEqual([summaryOf(again)]);
  });

  it("deletes the record and its index entry", async () => {
    const record = await writeDeadLetter(kv, await entry(new Date()));
    await deleteDeadLetter(kv, record);
    expect(await getDeadLetter(kv, record.id)).toBeNull();
    expect((await kv.list({ prefix: record.indexKey })).keys).toEqual([]);
  });
});
