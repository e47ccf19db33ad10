// How long a session waited, in timer notices and {{timer.waited}} (issue 14).
import { describe, expect, it } from "vitest";
import { viewEvent } from "../../../src/event/view.ts";
import { eventFields, eventTitle } from "../../../src/format/describe.ts";
import { templateValues } from "../../../src/format/template.ts";
import { formatWaited } from "../../../src/format/waited.ts";
import { CATEGORY, TAG } from "../../support/ids.ts";

describe("formatWaited", () => {
  it.each<[number, string, string]>([
    [0, "0초", "0s"],
    [30, "30초", "30s"],
    [59, "59초", "59s"],
    [60, "1분", "1 min"],
    [300, "5분", "5 min"],
    [3600, "1시간", "1 h"],
    [5400, "1시간 30분", "1 h 30 min"],
    [90_000, "1일 1시간", "1 d 1 h"],
  ])("%d s", (seconds, ko, en) => {
    expect(formatWaited(seconds, "ko")).toBe(ko);
    expect(formatWaited(seconds, "en")).toBe(en);
  });
});

describe("a timer notice", () => {
  const notice = viewEvent({
    type: "timer",
    triggerId: "timer:unassigned-5m:s1:1",
    appCode: "A",
    timer: { name: "unassigned-5m", after: "5m", waitedSeconds: 300, firing: 1 },
    session: { id: "s1", tags: [TAG.vip], categories: [CATEGORY.payment] },
  });

  it("is titled by how long the session waited", () => {
    expect(eventTitle(notice)).toBe("Waiting 5 min: session s1");
  });

  it("shows the timer, the wait and the session's fields", () => {
    expect(eventFields(notice, { includeContact: false }).slice(0, 5)).toEqual([
      { label: "Timer", value: "unassigned-5m (after 5m)" },
      { label: "Waited", value: "5 min" },
      { label: "Session", value: "s1" },
      { label: "Categories", value: CATEGORY.payment },
      { label: "Tags", value: TAG.vip },
    ]);
  });

  it("fills the timer placeholders", () => {
    const values = templateValues(notice, { includeContact: false });
    expect([values["timer.name"], values["timer.after"], values["timer.waited"], values["session.id"]]).toEqual([
      "unassigned-5m",
      "5m",
      "5 min",
      "s1",
    ]);
    const other = templateValues(viewEvent({ type: "session_state_open", triggerId: "t" }), { includeContact: false });
    expect(other["timer.waited"]).toBe("");
  });
});
