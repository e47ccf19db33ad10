import { describe, expect, it } from "vitest";
import { viewEvent } from "../../../src/event/view.ts";
import { displayTime, duration, eventFields, eventKind, eventTitle } from "../../../src/format/describe.ts";
import message from "../../fixtures/events/send_external_message.json";
import close from "../../fixtures/events/session_state_close.json";
import { AGENT, TAG } from "../../support/ids.ts";

describe("duration", () => {
  it.each([
    ["2019-04-29T08:57:15.878Z", "2019-04-29T09:05:56.000Z", "8m 40s"],
    ["2019-04-29T09:00:00.000Z", "2019-04-29T09:00:00.000Z", "0s"],
    ["2019-04-29T09:00:00.000Z", "2019-04-29T09:00:00.999Z", "0s"],
    ["2019-04-29T09:00:00Z", "2019-04-29T09:00:03Z", "3s"],
    ["2019-04-29T09:00:00Z", "2019-04-29T09:01:00Z", "1m 0s"],
    ["2019-04-29T09:00:00Z", "2019-04-29T10:02:03Z", "1h 2m 3s"],
    ["2019-04-29T09:00:00Z", "2019-04-29T10:00:00Z", "1h 0m 0s"],
    ["2019-04-29T09:00:00Z", "2019-05-01T09:00:05Z", "48h 0m 5s"],
    ["2019-04-29T18:00:00+09:00", "2019-04-29T09:30:00Z", "30m 0s"],
    ["2019-04-29T09:00:00", "2019-04-29T09:00:07Z", "7s"],
    ["2019-04-29T09:00:05Z", "2019-04-29T09:00:00Z", ""],
    [undefined, "2019-04-29T09:00:00Z", ""],
    ["2019-04-29T09:00:00Z", undefined, ""],
    ["", "2019-04-29T09:00:00Z", ""],
    ["yesterday", "2019-04-29T09:00:00Z", ""],
    ["1556528156001", "2019-04-29T09:00:00Z", ""],
    ["2019-02-31T09:00:00Z", "2019-04-29T09:00:00Z", ""],
  ])("%s → %s = %j", (open, closeTime, expected) => {
    expect(duration(open, closeTime)).toBe(expected);
  });
});

describe("displayTime", () => {
  it.each([
    ["2019-04-29T09:05:56.001Z", "2019-04-29 09:05:56 UTC"],
    ["2019-04-29T09:05:56.999Z", "2019-04-29 09:05:56 UTC"],
    ["2019-04-29T18:05:56+09:00", "2019-04-29 09:05:56 UTC"],
    ["2019-04-29T09:05Z", "2019-04-29 09:05:00 UTC"],
    ["2019-04-29T09:05:56", "2019-04-29 09:05:56 UTC"],
    ["2019-02-31T09:05:56Z", "2019-02-31T09:05:56Z"],
    ["yesterday", "yesterday"],
    ["1\n2", "1 2"],
    ["", ""],
    [undefined, ""],
  ])("%j → %j", (value, expected) => {
    expect(displayTime(value)).toBe(expected);
  });
});

describe("eventKind and eventTitle", () => {
  it.each([
    ["session_state_open", {}, "opened", "Session opened"],
    ["session_state_inprogress", {}, "assigned", "Session assigned"],
    ["session_state_close", { session: { reason: "userCancel" } }, "closed", "Session closed (userCancel)"],
    ["session_state_close", { session: { reason: "  " } }, "closed", "Session closed"],
    ["session_state_close", {}, "closed", "Session closed"],
    [
      "send_external_message",
      { from: { type: "agent", id: AGENT.kim } },
      "message sent",
      `Message from agent ${AGENT.kim}`,
    ],
    ["send_external_message", {}, "message sent", "Message from agent"],
    ["session_state_snooze", {}, "unknown", "Gitple event: session_state_snooze"],
    ["toString", {}, "unknown", "Gitple event: toString"],
    ["x\r\ny", {}, "unknown", "Gitple event: x y"],
  ])("%s %j → %s, %j", (type, extra, kind, title) => {
    expect(eventKind(type)).toBe(kind);
    expect(eventTitle(viewEvent({ type, triggerId: "t", ...extra }))).toBe(title);
  });
});

describe("eventFields", () => {
  it("lists a closed session's fields in order, the note as long text", () => {
    expect(eventFields(viewEvent(close), { includeContact: true })).toEqual([
      { label: "Session", value: "5cc6bdfb8e1c2a0013f0a0f7" },
      { label: "User", value: "5cc6b9a28e1c2a0013f09e21" },
      { label: "Assignee", value: "agent 5c9b1f0e4d2a7b0012c3d4e5" },
      { label: "Opened", value: "2019-04-29 08:57:15 UTC" },
      { label: "In progress", value: "2019-04-29 08:57:15 UTC" },
      { label: "Closed", value: "2019-04-29 09:05:56 UTC" },
      { label: "Duration", value: "8m 40s" },
      { label: "Categories", value: "5cc7c2000000000000000001, 5cc7c2000000000000000005" },
      { label: "Tags", value: "5cc7a1000000000000000003, 5cc7a1000000000000000002" },
      { label: "User groups", value: "5cc7e3000000000000000001" },
      { label: "Note", value: "택배 분실로 환불 요청.\n주문번호 20190429-0012, 재발송 불가 안내함.", long: true },
    ]);
  });

  it("shows email and phone only with includeContact", () => {
    const view = viewEvent(message);
    const base = [
      { label: "From", value: "agent 5c9b1f0e4d2a7b0012c3d4e5" },
      { label: "To", value: "김민지" },
      { label: "To id", value: "user 5cc6b9a28e1c2a0013f09e21" },
    ];
    const content = {
      label: "Message",
      value: "물류팀 확인 부탁드립니다. 주문번호 20190429-0012 택배가 3일째 배송 중 상태입니다.",
      long: true,
    };
    expect(eventFields(view, { includeContact: false })).toEqual([...base, content]);
    expect(eventFields(view, { includeContact: true })).toEqual([
      ...base,
      { label: "Email", value: "minji.kim@example.com" },
      { label: "Phone", value: "010-1234-5678" },
      content,
    ]);
  });

  it("leaves out null, missing and blank values", () => {
    const view = viewEvent({
      type: "session_state_open",
      triggerId: "t",
      session: {
        id: null,
        userId: " ",
        assigneeType: null,
        assigneeId: AGENT.kim,
        tags: [null, "", TAG.vip],
        note: "\r\n",
      },
      to: { name: null },
    });
    expect(eventFields(view, { includeContact: true })).toEqual([
      { label: "Assignee", value: AGENT.kim },
      { label: "Tags", value: TAG.vip },
    ]);
    expect(eventFields(viewEvent({ type: "session_state_open", triggerId: "t" }), { includeContact: true })).toEqual(
      [],
    );
  });

  it("keeps single-line values on one line and normalises free text", () => {
    const view = viewEvent({
      type: "send_external_message",
      triggerId: "t",
      to: { name: "Kim\r\n*Email*\nfake@example.com", email: "a@b.c\u0000" },
      message: { content: "line 1\r\nline 2\rline 3\u0007" },
    });
    expect(eventFields(view, { includeContact: true })).toEqual([
      { label: "To", value: "Kim *Email* fake@example.com" },
      { label: "Email", value: "a@b.c" },
      { label: "Message", value: "line 1\nline 2\nline 3", long: true },
    ]);
  });
});
