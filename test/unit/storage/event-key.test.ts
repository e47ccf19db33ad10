import { describe, expect, it } from "vitest";
import { eventKey } from "../../../src/storage/event-key.ts";

describe("eventKey", () => {
  // Every stored key is named by it: a change orphans the dedup keys, claims and dead letters in KV.
  it.each([
    ["MY_APP", "trigger-1", "f2a11287e518f57d78c0cd8176c0cbdaef3a02fc3c49264188ebde177b74459f"],
    [undefined, "trigger-1", "11f5723ff4791a72e2dec6f52bf582fd1961d73508d4bc700a9ebc1af2363e7b"],
  ])("stays the same for appCode %j, triggerId %j", async (appCode, triggerId, expected) => {
    expect(await eventKey(appCode, triggerId)).toBe(expected);
  });

  it("keeps appCode and triggerId apart (no concatenation collisions)", async () => {
    expect(await eventKey("A", "Bc")).not.toBe(await eventKey("AB", "c"));
  });
});
