// A destination's `language` (issue 14): the relay's own words in Korean or English, from one
// table per language (src/format/words.ts); Gitple's own values (reason codes, tags) as sent.
import { describe, expect, it } from "vitest";
import type { BaseDestinationConfig } from "../../../src/config/types.ts";
import { viewEvent } from "../../../src/event/view.ts";
import { eventFields, eventTitle, heldLines } from "../../../src/format/describe.ts";
import { templateValues } from "../../../src/format/template.ts";
import { wordsFor } from "../../../src/format/words.ts";
import { validateRouting } from "../../../src/routing/load.ts";

const session = { id: "s1", reason: "userCancel", tags: ["VIP"], note: "환불 요청" };
const view = (type: string, extra: Record<string, unknown> = {}) =>
  viewEvent({ type, triggerId: "t1", session, ...extra });

describe("the words tables", () => {
  it("have every key, with a value, in both languages", () => {
    const en = wordsFor("en");
    const ko = wordsFor("ko");
    expect(Object.keys(ko).sort()).toEqual(Object.keys(en).sort());
    for (const [key, value] of Object.entries(ko)) {
      expect(typeof value, key).toBe(typeof en[key as keyof typeof en]);
      const text = typeof value === "function" ? (value as (...a: unknown[]) => string)(2, "x") : value;
      expect(text, key).not.toBe("");
    }
    expect(wordsFor()).toBe(en);
  });
});

describe("titles", () => {
  it.each<[string, Record<string, unknown>, string, string]>([
    ["session_state_open", {}, "Session opened", "상담 시작"],
    ["session_state_inprogress", {}, "Session assigned", "상담 배정"],
    ["session_state_close", {}, "Session closed (userCancel)", "상담 종료 (userCancel)"],
    ["send_external_message", { from: { type: "agent", id: "a1" } }, "Message from agent a1", "메시지: agent a1"],
    ["session_state_snooze", {}, "Gitple event: session_state_snooze", "Gitple 이벤트: session_state_snooze"],
    [
      "timer",
      { timer: { name: "unassigned-5m", after: "5m", waitedSeconds: 300 } },
      "Waiting 5 min: session s1",
      "대기 5분: 상담 s1",
    ],
    [
      "quiet_digest",
      { held: { count: 3, events: [] } },
      "Held during quiet hours: 3 notices",
      "조용한 시간에 보류된 알림 3건",
    ],
  ])("%s", (type, extra, en, ko) => {
    expect(eventTitle(view(type, extra))).toBe(en);
    expect(eventTitle(view(type, extra), { language: "en" })).toBe(en);
    expect(eventTitle(view(type, extra), { language: "ko" })).toBe(ko);
  });
});

describe("fields", () => {
  it("are labelled in the destination's language, values as Gitple sent them", () => {
    const timer = view("timer", { timer: { name: "unassigned-5m", after: "5m", waitedSeconds: 30 } });
    expect(eventFields(timer, { includeContact: false, language: "ko" })).toEqual([
      { label: "타이머", value: "unassigned-5m (5m 후)" },
      { label: "대기 시간", value: "30초" },
      { label: "상담", value: "s1" },
      { label: "태그", value: "VIP" },
      { label: "메모", value: "환불 요청", long: true },
    ]);
    expect(eventFields(timer, { includeContact: false }).map((f) => f.label)).toEqual([
      "Timer",
      "Waited",
      "Session",
      "Tags",
      "Note",
    ]);
  });

  it("say when a held notice happened", () => {
    const held = {
      ...view("session_state_open"),
      held: { acceptedAt: "2026-12-05T14:10:00Z", until: "2026-12-06T23:00:00Z" },
    };
    expect(eventFields(held, { includeContact: false, language: "ko", timeZone: "Asia/Seoul" })[0]).toEqual({
      label: "발생",
      value: "2026-12-05 23:10 KST (조용한 시간이라 2026-12-07 08:00 KST까지 보류)",
    });
  });
});

describe("a quiet-hours digest's list", () => {
  const events = Array.from({ length: 52 }, (_, i) => ({
    type: "session_state_open",
    at: "2026-12-05T14:10:00Z",
    session: `s${i}`,
    tags: ["5cc7a1000000000000000001"],
    note: "환불",
  }));

  it("shows 50 events and counts the rest, in either language", () => {
    const en = heldLines(events, 52).split("\n");
    expect(en).toHaveLength(51);
    expect(en[0]).toBe(
      "• session_state_open · 2026-12-05 14:10:00 UTC · session s0 · [5cc7a1000000000000000001] · 환불",
    );
    expect(en[50]).toBe("… and 2 more");
    const ko = heldLines(events, 52, { language: "ko", timeZone: "Asia/Seoul" }).split("\n");
    expect(ko[0]).toBe("• session_state_open · 2026-12-05 23:10 KST · 상담 s0 · [5cc7a1000000000000000001] · 환불");
    expect(ko[50]).toBe("… 외 2건");
  });

  it("is the digest message's body, from the held events", () => {
    const digest = viewEvent({ type: "quiet_digest", triggerId: "q", held: { count: 2, events: events.slice(0, 2) } });
    const fields = eventFields(digest, { includeContact: false, language: "ko" });
    expect(fields).toEqual([{ label: "메시지", value: expect.stringContaining("상담 s1"), long: true }]);
  });
});

describe("{{timer.waited}}", () => {
  it("follows the language", () => {
    const timer = view("timer", { timer: { waitedSeconds: 300 } });
    expect(templateValues(timer, { includeContact: false, language: "ko" })["timer.waited"]).toBe("5분");
    expect(templateValues(timer, { includeContact: false })["timer.waited"]).toBe("5 min");
  });
});

describe("language validation", () => {
  const secrets = () => "https://hooks.slack.com/x";
  const config = (language: unknown) => ({
    destinations: { ops: { type: "slack", webhook_url_secret: "OPS_URL", language } },
    fallback: ["ops"],
  });

  it('takes "ko" and "en"; absent is English', () => {
    const language = (r: ReturnType<typeof validateRouting>) =>
      r.ok ? (r.value.destinations.ops as BaseDestinationConfig | undefined)?.language : "invalid";
    expect(language(validateRouting(config("ko"), secrets))).toBe("ko");
    const ops = { type: "slack", webhook_url_secret: "OPS_URL" };
    expect(language(validateRouting({ ...config(undefined), destinations: { ops } }, secrets))).toBeUndefined();
  });

  it.each(["kr", "KO", 1])("rejects %j with its path", (language) => {
    const r = validateRouting(config(language), secrets);
    expect(r.ok ? [] : r.error).toEqual(['destinations.ops.language: must be "ko" or "en"']);
  });
});
