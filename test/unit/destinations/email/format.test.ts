import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { EmailDestinationConfig } from "../../../../src/destinations/email/config.ts";
import { EMAIL_LIMITS, escapeHtml, formatEmail } from "../../../../src/destinations/email/format.ts";
import { viewEvent } from "../../../../src/event/view.ts";
import type { Template } from "../../../../src/routing/types.ts";
import message from "../../../fixtures/events/send_external_message.json";
import close from "../../../fixtures/events/session_state_close.json";
import inprogress from "../../../fixtures/events/session_state_inprogress.json";
import open from "../../../fixtures/events/session_state_open.json";

type Raw = Record<string, unknown> & { type: string; triggerId: string };
const dest: EmailDestinationConfig = {
  type: "email",
  provider: "cloudflare",
  from: "relay@example.com",
  to: ["ops@example.com"],
  binding: "EMAIL",
  include_contact: false,
};
const format = (raw: Raw, d: Partial<EmailDestinationConfig> = {}, template?: Template) =>
  formatEmail(viewEvent(raw), { ...dest, ...d }, { template });

/** What a reader of the HTML part sees, pulled out of the markup. */
function readHtml(html: string) {
  const pick = (re: RegExp) => [...html.matchAll(re)].map((m) => m.slice(1));
  return {
    title: pick(/<title>(.*?)<\/title>/g).flat(),
    heading: pick(/<h2[^>]*>(.*?)<\/h2>/g).flat(),
    rows: pick(/<tr><th[^>]*>(.*?)<\/th><td>(.*?)<\/td><\/tr>/g),
    blocks: pick(/<h3[^>]*>(.*?)<\/h3><div style="white-space:pre-wrap">([\s\S]*?)<\/div>/g),
    text: pick(/<\/h2>\n<div style="white-space:pre-wrap">([\s\S]*?)<\/div>/g).flat(),
    links: pick(/<a href="([^"]*)">(.*?)<\/a>/g),
    footer: pick(/<p style="margin-top:24px[^"]*">(.*?)<\/p>/g).flat(),
  };
}

const SESSION_ROWS = [
  ["Session", "5cc6bdfb8e1c2a0013f0a0f7"],
  ["User", "5cc6b9a28e1c2a0013f09e21"],
];

describe("formatEmail: the four Gitple event types", () => {
  it.each<[string, Raw, string, string[], string[][], string[][]]>([
    [
      "session_state_open",
      open,
      "Session opened",
      [
        "Session: 5cc6bdfb8e1c2a0013f0a0f7",
        "User: 5cc6b9a28e1c2a0013f09e21",
        "Opened: 2019-04-29 08:57:15 UTC",
        "Categories: 5cc7c2000000000000000001",
        "Tags: 5cc7a1000000000000000003",
        "User groups: 5cc7e3000000000000000001",
      ],
      [
        ...SESSION_ROWS,
        ["Opened", "2019-04-29 08:57:15 UTC"],
        ["Categories", "5cc7c2000000000000000001"],
        ["Tags", "5cc7a1000000000000000003"],
        ["User groups", "5cc7e3000000000000000001"],
      ],
      [],
    ],
    [
      "session_state_inprogress",
      inprogress,
      "Session assigned",
      [
        "Session: 5cc6bdfb8e1c2a0013f0a0f7",
        "User: 5cc6b9a28e1c2a0013f09e21",
        "Assignee: agent 5c9b1f0e4d2a7b0012c3d4e5",
        "Opened: 2019-04-29 08:57:15 UTC",
        "In progress: 2019-04-29 08:57:15 UTC",
        "Categories: 5cc7c2000000000000000001",
        "Tags: 5cc7a1000000000000000003",
        "User groups: 5cc7e3000000000000000001",
      ],
      [
        ...SESSION_ROWS,
        ["Assignee", "agent 5c9b1f0e4d2a7b0012c3d4e5"],
        ["Opened", "2019-04-29 08:57:15 UTC"],
        ["In progress", "2019-04-29 08:57:15 UTC"],
        ["Categories", "5cc7c2000000000000000001"],
        ["Tags", "5cc7a1000000000000000003"],
        ["User groups", "5cc7e3000000000000000001"],
      ],
      [],
    ],
    [
      "session_state_close",
      close,
      "Session closed (userCancel)",
      [
        "Session: 5cc6bdfb8e1c2a0013f0a0f7",
        "User: 5cc6b9a28e1c2a0013f09e21",
        "Assignee: agent 5c9b1f0e4d2a7b0012c3d4e5",
        "Opened: 2019-04-29 08:57:15 UTC",
        "In progress: 2019-04-29 08:57:15 UTC",
        "Closed: 2019-04-29 09:05:56 UTC",
        "Duration: 8m 40s",
        "Categories: 5cc7c2000000000000000001, 5cc7c2000000000000000005",
        "Tags: 5cc7a1000000000000000003, 5cc7a1000000000000000002",
        "User groups: 5cc7e3000000000000000001",
        "",
        "Note:",
        "택배 분실로 환불 요청.",
        "주문번호 20190429-0012, 재발송 불가 안내함.",
      ],
      [
        ...SESSION_ROWS,
        ["Assignee", "agent 5c9b1f0e4d2a7b0012c3d4e5"],
        ["Opened", "2019-04-29 08:57:15 UTC"],
        ["In progress", "2019-04-29 08:57:15 UTC"],
        ["Closed", "2019-04-29 09:05:56 UTC"],
        ["Duration", "8m 40s"],
        ["Categories", "5cc7c2000000000000000001, 5cc7c2000000000000000005"],
        ["Tags", "5cc7a1000000000000000003, 5cc7a1000000000000000002"],
        ["User groups", "5cc7e3000000000000000001"],
      ],
      [["Note", "택배 분실로 환불 요청.\n주문번호 20190429-0012, 재발송 불가 안내함."]],
    ],
    [
      "send_external_message",
      message,
      "Message from agent 5c9b1f0e4d2a7b0012c3d4e5",
      [
        "From: agent 5c9b1f0e4d2a7b0012c3d4e5",
        "To: 김민지",
        "To id: user 5cc6b9a28e1c2a0013f09e21",
        "",
        "Message:",
        "물류팀 확인 부탁드립니다. 주문번호 20190429-0012 택배가 3일째 배송 중 상태입니다.",
      ],
      [
        ["From", "agent 5c9b1f0e4d2a7b0012c3d4e5"],
        ["To", "김민지"],
        ["To id", "user 5cc6b9a28e1c2a0013f09e21"],
      ],
      [["Message", "물류팀 확인 부탁드립니다. 주문번호 20190429-0012 택배가 3일째 배송 중 상태입니다."]],
    ],
  ])("%s", (_, raw, title, lines, rows, blocks) => {
    const email = format(raw);
    const footer = `Gitple · ${raw.type} · trigger ${raw.triggerId} · acme-shop`;
    expect(email.subject).toBe(title);
    expect(email.text).toBe([title, "", ...lines, "", "-- ", footer, ""].join("\n"));
    expect(readHtml(email.html)).toEqual({
      title: [title],
      heading: [title],
      rows,
      blocks,
      text: [],
      links: [],
      footer: [footer],
    });
    expect(email.html.startsWith('<!DOCTYPE html>\n<html><head><meta charset="utf-8">')).toBe(true);
    expect(email.html.endsWith("</body></html>\n")).toBe(true);
  });

  it("adds email and phone only with include_contact", () => {
    const off = format(message);
    expect(`${off.text}${off.html}`).not.toMatch(/minji\.kim@example\.com|010-1234-5678/);
    const on = format(message, { include_contact: true });
    expect(on.text).toContain("Email: minji.kim@example.com\nPhone: 010-1234-5678\n");
    expect(readHtml(on.html).rows.slice(3)).toEqual([
      ["Email", "minji.kim@example.com"],
      ["Phone", "010-1234-5678"],
    ]);
  });

  it("links session_url in both parts", () => {
    const email = format(close, { session_url: 'https://console.gitple.io/s/{{session.id}}?from="mail"' });
    const url = 'https://console.gitple.io/s/5cc6bdfb8e1c2a0013f0a0f7?from="mail"';
    expect(email.text).toContain(`\n\nOpen in Gitple: ${url}\n\n-- \n`);
    expect(readHtml(email.html).links).toEqual([[escapeHtml(url), "Open in Gitple"]]);
    expect(email.html).toContain("?from=&quot;mail&quot;");
  });
});

describe("formatEmail: subject and templates", () => {
  const template: Template = {
    title: "VIP {{session.reason}}: {{session.id}}",
    text: "<b>Note</b>\n{{session.note}}\nTags: {{session.tags}}",
  };

  it.each<[string, Partial<EmailDestinationConfig>, Template | undefined, string]>([
    ["the built-in title", {}, undefined, "Session closed (userCancel)"],
    ["the template's title", {}, template, "VIP userCancel: 5cc6bdfb8e1c2a0013f0a0f7"],
    [
      "the destination's subject over the template's title",
      { subject: "[Gitple] {{type}}" },
      template,
      "[Gitple] session_state_close",
    ],
    [
      "the title when the subject renders blank",
      { subject: " {{to.name}} " },
      template,
      "VIP userCancel: 5cc6bdfb8e1c2a0013f0a0f7",
    ],
    [
      "the built-in title when both render blank",
      { subject: "{{to.name}}" },
      { title: "{{to.id}}" },
      "Session closed (userCancel)",
    ],
  ])("subject: %s", (_, d, t, subject) => {
    expect(format(close, d, t).subject).toBe(subject);
  });

  it("puts the template's title and text in both parts: plain values in text, escaped values in HTML", () => {
    const hostile = { ...close, session: { ...close.session, note: "</script><img src=x onerror=alert(1)> & 'q'" } };
    const email = format(hostile, { subject: "Closed" }, template);
    expect(email.text).toBe(
      [
        "VIP userCancel: 5cc6bdfb8e1c2a0013f0a0f7",
        "",
        "<b>Note</b>",
        "</script><img src=x onerror=alert(1)> & 'q'",
        "Tags: 5cc7a1000000000000000003, 5cc7a1000000000000000002",
        "",
        "-- ",
        "Gitple · session_state_close · trigger 5cc6c0048e1c2a0013f0a1c3 · acme-shop",
        "",
      ].join("\n"),
    );
    expect(readHtml(email.html)).toMatchObject({
      title: ["Closed"],
      heading: ["VIP userCancel: 5cc6bdfb8e1c2a0013f0a0f7"],
      rows: [],
      text: [
        "<b>Note</b>\n&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt; &amp; &#39;q&#39;\nTags: 5cc7a1000000000000000003, 5cc7a1000000000000000002",
      ],
    });
  });

  it("has no body when the template's text renders empty", () => {
    const email = format(open, {}, { text: "{{session.note}}" });
    expect(email.text).toBe(
      "Session opened\n\n\n-- \nGitple · session_state_open · trigger 5cc6bdfb8e1c2a0013f0a101 · acme-shop\n",
    );
    expect(readHtml(email.html)).toMatchObject({ rows: [], text: [], blocks: [] });
  });
});

describe("formatEmail: hostile input and limits", () => {
  const hostile: Raw = {
    type: "send_external_message",
    triggerId: "</title><script>alert(1)</script>",
    appCode: "@everyone",
    from: { type: "agent", id: "<!channel>" },
    to: { name: "김민지\r\nBcc: evil@example.com", email: "x@y.z\r\nCc: evil@example.com" },
    message: { content: '</script><a href="javascript:alert(1)">click</a> @everyone <!here>' },
  };

  it("escapes every payload value in HTML and keeps single-line values on one line", () => {
    const email = format(hostile, { include_contact: true, subject: "{{to.name}} {{to.email}}" });
    expect(email.subject).toBe("김민지 Bcc: evil@example.com x@y.z Cc: evil@example.com");
    expect(email.text).toContain("\nTo: 김민지 Bcc: evil@example.com\n");
    expect(email.text).toContain("\nEmail: x@y.z Cc: evil@example.com\n");
    const html = email.html;
    expect(html).not.toMatch(/<script|<\/script|<a href="javascript|<!here>|<!channel>|<\/title><script/);
    expect(readHtml(html)).toMatchObject({
      title: ["김민지 Bcc: evil@example.com x@y.z Cc: evil@example.com"],
      heading: ["Message from agent &lt;!channel&gt;"],
      blocks: [
        [
          "Message",
          "&lt;/script&gt;&lt;a href=&quot;javascript:alert(1)&quot;&gt;click&lt;/a&gt; @everyone &lt;!here&gt;",
        ],
      ],
      footer: [
        "Gitple · send_external_message · trigger &lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt; · @everyone",
      ],
    });
  });

  it("cuts a very long Korean subject to 200 characters and keeps the long body whole", () => {
    const note = "가나다라마바사".repeat(5000);
    const email = format({
      type: "session_state_close",
      triggerId: "t",
      session: { reason: "긴사유".repeat(200), note },
    });
    expect(email.subject).toHaveLength(EMAIL_LIMITS.subject);
    expect(email.subject.endsWith("…")).toBe(true);
    expect(email.text).toContain(note);
    expect(readHtml(email.html).blocks).toEqual([["Note", note]]);
  });

  it("holds for any payload: one-line subject within the limit, no raw markup from the payload (property)", () => {
    const text = fc.oneof(
      fc.string({ unit: "binary", maxLength: 40 }),
      fc.constantFrom("</script>", "<!channel>", "@everyone", "\r\n", "&amp;", "\"'", "가", "😀"),
    );
    const obj = (keys: string[]) => fc.option(fc.dictionary(fc.constantFrom(...keys), text), { nil: undefined });
    const raw = fc.record({
      type: text,
      triggerId: text,
      appCode: fc.option(text, { nil: undefined }),
      session: obj(["id", "reason", "note", "userId", "assigneeType", "assigneeId", "openTime", "closeTime"]),
      from: obj(["type", "id"]),
      to: obj(["id", "name", "email", "phone"]),
      message: obj(["content"]),
    });
    fc.assert(
      fc.property(raw, fc.boolean(), (r, contact) => {
        const email = format(r as Raw, { include_contact: contact, subject: "{{to.name}}{{session.reason}}" });
        expect(email.subject.length).toBeLessThanOrEqual(EMAIL_LIMITS.subject);
        expect(email.subject).not.toMatch(/[\r\n]/);
        // Outside the page's own tags, no `<` survives: every payload `<` became `&lt;`.
        const body = email.html.replace(
          /<\/?(?:!DOCTYPE html|html|head|meta|title|body|h2|h3|div|p|a|table|tr|th|td)\b[^<>]*>/g,
          "",
        );
        expect(body).not.toContain("<");
      }),
      { numRuns: 300 },
    );
  });
});
