// The cost bench's arithmetic (bench/cost.ts): which Free plan limit an event
// reaches first, and the price per million past the included amounts, on
// tallies of known operations (the counting itself runs in `npm run bench -- --only cost`).
import { describe, expect, it } from "vitest";
import { costTable, freePlan, paidMonth, paidPlan, type Tally } from "../../bench/cost.ts";

const none: Tally = {
  fetchInvocations: 0,
  queueInvocations: 0,
  kvReads: 0,
  kvWrites: 0,
  kvDeletes: 0,
  kvLists: 0,
  queueWrites: 0,
  queueReads: 0,
  queueDeletes: 0,
  doRequests: 0,
  doAlarms: 0,
  sqlRowsRead: 0,
  sqlRowsWritten: 0,
  alarmSets: 0,
  dataPoints: 0,
};
const event = (t: Partial<Tally>): Tally => ({ ...none, ...t });

describe("the cost bench's figures", () => {
  it("finds the tightest Free plan limit", () => {
    expect(freePlan(event({ fetchInvocations: 1, kvReads: 1, kvWrites: 2 }))).toEqual({
      eventsPerDay: 500,
      limitedBy: "Workers KV writes, 1,000/day",
    });
    // Six queue operations allow 1,666 a day; with one KV write as well, its 1,000 binds first.
    expect(freePlan(event({ kvWrites: 1, queueWrites: 2, queueReads: 2, queueDeletes: 2 })).eventsPerDay).toBe(1000);
    expect(freePlan(event({ queueWrites: 2, queueReads: 2, queueDeletes: 2 }))).toEqual({
      eventsPerDay: 1666,
      limitedBy: "Queues operations, 10,000/day",
    });
    // setAlarm calls count as rows written.
    expect(freePlan(event({ sqlRowsWritten: 5, alarmSets: 5 })).eventsPerDay).toBe(10_000);
  });

  it("prices a million events past the included amounts, and a month of a million within them", () => {
    const t = event({ fetchInvocations: 1, kvReads: 1, kvWrites: 1, queueWrites: 2, queueReads: 2, queueDeletes: 2 });
    // 0.30 + 0.50 + 5.00 + 6 × 0.40
    expect(paidPlan(t).dollarsPerMillion).toBe(8.2);
    // A month of a million: only the queue operations pass their included million (5 million × 0.40).
    expect(paidMonth(t, 1_000_000)).toBe(2);
  });

  it("prints the two lines scripts read, in their exact form", () => {
    const one = event({ fetchInvocations: 1, kvReads: 1, kvWrites: 1 });
    const two = event({ fetchInvocations: 1, kvReads: 1, kvWrites: 1, doRequests: 2 });
    const perEvent = {
      one,
      two,
      retry: two,
      dead: two,
      dropped: one,
      unrouted: none,
      deferred: one,
      digested: one,
      digest: one,
    };
    const lines = costTable({
      events: 10,
      perEvent,
      freePlan: freePlan(one),
      paidPlan: paidPlan(two),
      paidMonthOfAMillion: paidMonth(two, 1_000_000),
      pricesDate: "2026-12-02",
    });
    expect(lines.at(-2)).toBe(
      "free plan: 1000 events/day with 1 destination (limited by Workers KV writes, 1,000/day)",
    );
    expect(lines.at(-1)).toBe("paid plan: $6.10 per million events with 2 destinations");
  });
});
