// The per-session messages table's gate (src/sessions/messages.ts), inside a real
// SessionState object: post once, wait while held, update only for newer events,
// a hold that lapses, and a reassignment (same state, later ctime) that updates.
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { record, release, reserve, stateOf } from "../../../src/sessions/messages.ts";
import type { SessionState } from "../../../src/sessions/object.ts";
import { sessionFor } from "../../../src/sessions/stub.ts";
import { gitpleId } from "../../support/worker.ts";

const ref = { kind: "slack", channel: "C0TEST", ts: "1.000001" } as const;

function inObject(body: (sql: SqlStorage) => void) {
  return runInDurableObject(sessionFor(env, "TEST_APP", gitpleId()), (_o: SessionState, state) =>
    body(state.storage.sql),
  );
}

describe("the messages gate", () => {
  it("orders session states open < inprogress < close; other events are not states", () => {
    expect(
      ["session_state_open", "session_state_inprogress", "session_state_close", "send_external_message"].map(stateOf),
    ).toEqual([1, 2, 3, 0]);
  });

  it("posts once, makes a concurrent caller wait, then updates only for newer events", async () => {
    await inObject((sql) => {
      const open = { state: 1, trigger: "t1", ctime: "2019-01-01T00:00:00Z" } as const;
      expect(reserve(sql, "d", open, 60_000, 1000)).toEqual({ action: "post" });
      expect(reserve(sql, "d", { state: 3, trigger: "t3" }, 60_000, 1500)).toEqual({ action: "wait", retryInMs: 2000 });
      record(sql, "d", ref, open, 2000);
      expect(reserve(sql, "d", open, 60_000, 2001)).toEqual({ action: "same", shown: 1 });
      expect(reserve(sql, "d", { state: 3, trigger: "t3" }, 60_000, 2002)).toEqual({ action: "update", ref, shown: 1 });
      record(sql, "d", ref, { state: 3, trigger: "t3" }, 2003);
      expect(reserve(sql, "d", { state: 2, trigger: "t2" }, 60_000, 2004)).toEqual({ action: "same", shown: 3 });
      // Destinations keep their own rows.
      expect(reserve(sql, "other", open, 60_000, 2005)).toEqual({ action: "post" });
    });
  });

  it("a hold lapses after its lease; a released hold frees the row at once", async () => {
    await inObject((sql) => {
      const open = { state: 1, trigger: "t1" } as const;
      expect(reserve(sql, "d", open, 5000, 1000)).toEqual({ action: "post" });
      expect(reserve(sql, "d", open, 5000, 5999)).toMatchObject({ action: "wait" });
      expect(reserve(sql, "d", open, 5000, 6000)).toEqual({ action: "post" });
      release(sql, "d");
      expect(reserve(sql, "d", open, 5000, 6001)).toEqual({ action: "post" });
    });
  });

  it("a reassignment (same state, a later ctime) updates; the same trigger or an earlier ctime does not", async () => {
    await inObject((sql) => {
      const first = { state: 2, trigger: "a1", ctime: "2019-01-01T00:01:00Z" } as const;
      reserve(sql, "d", first, 60_000, 1);
      record(sql, "d", ref, first, 2);
      expect(reserve(sql, "d", first, 60_000, 3)).toEqual({ action: "same", shown: 2 });
      expect(reserve(sql, "d", { state: 2, trigger: "a0", ctime: "2019-01-01T00:00:30Z" }, 60_000, 4)).toEqual({
        action: "same",
        shown: 2,
      });
      expect(reserve(sql, "d", { state: 2, trigger: "a2", ctime: "2019-01-01T00:02:00Z" }, 60_000, 5)).toEqual({
        action: "update",
        ref,
        shown: 2,
      });
    });
  });
});
