import { describe, expect, it } from "vitest";
import type { SlackDestinationConfig } from "../../../../src/destinations/slack/config.ts";
import { escapeMrkdwn, escapeTruncate, truncate } from "../../../../src/destinations/slack/escape.ts";
import {
  formatSlack,
  SLACK_LIMITS,
  type SlackBlock,
  type SlackPayload,
} from "../../../../src/destinations/slack/format.ts";
import { viewEvent } from "../../../../src/event/view.ts";
import message from "../../../fixtures/events/send_external_message.json";
import close from "../../../fixtures/events/session_state_close.json";
import inprogress from "../../../fixtures/events/session_state_inprogress.json";
import open from "../../../fixtures/events/session_state_open.json";
import { assertHoldsForAnyPayload } from "../../../support/hostile.ts";
import { TAG } from "../../../support/ids.ts";

const dest: SlackDestinationConfig = { type: "slack", webhook_url_secret: "SLACK_URL", include_contact: false };
const withContact: SlackDestinationConfig = { ...dest, include_contact: true };

const md = (text: string) => ({ type: "mrkdwn", text, verbatim: true });
const header = (text: string) => ({ type: "header", text: { type: "plain_text", text } });
const footer = (text: string) => ({ type: "context", elements: [md(text)] });

type Raw = Record<string, unknown> & { type: string; triggerId: string };
const format = (raw: Raw, d = dest, opts?: { sessionUrl?: string }) => formatSlack(viewEvent(raw), d, opts);

/** The text of a header or text section block ("" for any other block). */
function textOf(b: SlackBlock | undefined): string {
  return b && (b.type === "header" || b.type === "section") && "text" in b ? b.text.text : "";
}

/** The field texts of a fields section block ([] for any other block). */
function fieldsOf(b: SlackBlock | undefined): string[] {
  return b?.type === "section" && "fields" in b ? b.fields.map((f) => f.text) : [];
}

/** Every mrkdwn text in the payload, the fallback `text` included. */
function mrkdwnTexts(p: SlackPayload): string[] {
  const out = [p.text];
  for (const b of p.blocks) {
    if (b.type === "section") out.push(...("fields" in b ? b.fields.map((f) => f.text) : [b.text.text]));
    if (b.type === "context") out.push(...b.elements.map((e) => e.text));
  }
  return out;
}

/** Slack's Block Kit limits and shape rules; [] when the payload respects all of them. */
function violations(p: SlackPayload): string[] {
  const bad: string[] = [];
  const check = (what: string, text: string, max: number) => {
    if (text.length < 1 || text.length > max) bad.push(`${what}: length ${text.length} not in 1..${max}`);
    if (!text.isWellFormed()) bad.push(`${what}: lone surrogate`);
  };
  check("text", p.text, SLACK_LIMITS.text);
  if (p.blocks.length > SLACK_LIMITS.blocks) bad.push(`${p.blocks.length} blocks`);
  for (const [i, b] of p.blocks.entries()) {
    if (b.type === "header") check(`blocks[${i}] header`, b.text.text, SLACK_LIMITS.headerText);
    if (b.type === "section" && "text" in b) check(`blocks[${i}] section`, b.text.text, SLACK_LIMITS.sectionText);
    if (b.type === "section" && "fields" in b) {
      if (b.fields.length < 1 || b.fields.length > SLACK_LIMITS.fields)
        bad.push(`blocks[${i}]: ${b.fields.length} fields`);
      for (const f of b.fields) check(`blocks[${i}] field`, f.text, SLACK_LIMITS.fieldText);
    }
    if (b.type === "context")
      for (const e of b.elements) check(`blocks[${i}] context`, e.text, SLACK_LIMITS.sectionText);
    if (b.type === "actions") for (const e of b.elements) check(`blocks[${i}] url`, e.url, SLACK_LIMITS.buttonUrl);
  }
  // Escaped mrkdwn: no raw control character, and every `&` starts one of the three entities.
  for (const t of mrkdwnTexts(p)) {
    if (/[<>]/.test(t) || t.replace(/&(?:amp|lt|gt);/g, "").includes("&")) bad.push(`unescaped: ${t.slice(0, 80)}`);
  }
  return bad;
}

describe("formatSlack: the four Gitple event types", () => {
  it("session_state_open", () => {
    expect(format(open)).toEqual({
      text: "Session opened",
      blocks: [
        header("Session opened"),
        {
          type: "section",
          fields: [
            md("*Session*\n5cc6bdfb8e1c2a0013f0a0f7"),
            md("*User*\n5cc6b9a28e1c2a0013f09e21"),
            md("*Opened*\n2019-04-29 08:57:15 UTC"),
            md("*Categories*\n5cc7c2000000000000000001"),
            md("*Tags*\n5cc7a1000000000000000003"),
            md("*User groups*\n5cc7e3000000000000000001"),
          ],
        },
        footer("Gitple · session_state_open · trigger 5cc6bdfb8e1c2a0013f0a101 · acme-shop"),
      ],
    });
  });

  it("session_state_inprogress", () => {
    expect(format(inprogress)).toEqual({
      text: "Session assigned",
      blocks: [
        header("Session assigned"),
        {
          type: "section",
          fields: [
            md("*Session*\n5cc6bdfb8e1c2a0013f0a0f7"),
            md("*User*\n5cc6b9a28e1c2a0013f09e21"),
            md("*Assignee*\nagent 5c9b1f0e4d2a7b0012c3d4e5"),
            md("*Opened*\n2019-04-29 08:57:15 UTC"),
            md("*In progress*\n2019-04-29 08:57:15 UTC"),
            md("*Categories*\n5cc7c2000000000000000001"),
            md("*Tags*\n5cc7a1000000000000000003"),
            md("*User groups*\n5cc7e3000000000000000001"),
          ],
        },
        footer("Gitple · session_state_inprogress · trigger 5cc6bdfb8e1c2a0013f0a102 · acme-shop"),
      ],
    });
  });

  it("session_state_close", () => {
    expect(format(close)).toEqual({
      text: "Session closed (userCancel): 택배 분실로 환불 요청. 주문번호 20190429-0012, 재발송 불가 안내함.",
      blocks: [
        header("Session closed (userCancel)"),
        {
          type: "section",
          fields: [
            md("*Session*\n5cc6bdfb8e1c2a0013f0a0f7"),
            md("*User*\n5cc6b9a28e1c2a0013f09e21"),
            md("*Assignee*\nagent 5c9b1f0e4d2a7b0012c3d4e5"),
            md("*Opened*\n2019-04-29 08:57:15 UTC"),
            md("*In progress*\n2019-04-29 08:57:15 UTC"),
            md("*Closed*\n2019-04-29 09:05:56 UTC"),
            md("*Duration*\n8m 40s"),
            md("*Categories*\n5cc7c2000000000000000001, 5cc7c2000000000000000005"),
            md("*Tags*\n5cc7a1000000000000000003, 5cc7a1000000000000000002"),
            md("*User groups*\n5cc7e3000000000000000001"),
          ],
        },
        { type: "section", text: md("*Note*\n택배 분실로 환불 요청.\n주문번호 20190429-0012, 재발송 불가 안내함.") },
        footer("Gitple · session_state_close · trigger 5cc6c0048e1c2a0013f0a1c3 · acme-shop"),
      ],
    });
  });

  it("send_external_message", () => {
    const content = "물류팀 확인 부탁드립니다. 주문번호 20190429-0012 택배가 3일째 배송 중 상태입니다.";
    expect(format(message)).toEqual({
      text: `Message from agent 5c9b1f0e4d2a7b0012c3d4e5: ${content}`,
      blocks: [
        header("Message from agent 5c9b1f0e4d2a7b0012c3d4e5"),
        {
          type: "section",
          fields: [
            md("*From*\nagent 5c9b1f0e4d2a7b0012c3d4e5"),
            md("*To*\n김민지"),
            md("*To id*\nuser 5cc6b9a28e1c2a0013f09e21"),
          ],
        },
        { type: "section", text: md(`*Message*\n${content}`) },
        footer("Gitple · send_external_message · trigger 5cc6bf6a8e1c2a0013f0a150 · acme-shop"),
      ],
    });
  });

  it("an unknown type: its type in the header, whatever session and recipient fields it has", () => {
    const raw = {
      type: "session_state_snooze",
      triggerId: "t-snooze",
      session: { id: "s1", tags: [TAG.vip] },
      to: { name: "Lee" },
    };
    expect(format(raw)).toEqual({
      text: "Gitple event: session_state_snooze",
      blocks: [
        header("Gitple event: session_state_snooze"),
        { type: "section", fields: [md("*Session*\ns1"), md(`*Tags*\n${TAG.vip}`), md("*To*\nLee")] },
        footer("Gitple · session_state_snooze · trigger t-snooze"),
      ],
    });
  });

  it.each([
    [{ type: "session_state_close", triggerId: "t1" }, "Session closed"],
    [{ type: "session_state_close", triggerId: "t1", session: null }, "Session closed"],
    [
      { type: "session_state_close", triggerId: "t1", session: { id: null, tags: null, note: null, reason: null } },
      "Session closed",
    ],
    [
      { type: "send_external_message", triggerId: "t1", from: null, to: {}, message: { content: null } },
      "Message from agent",
    ],
    [{ type: "x", triggerId: "t1", session: [], to: "nobody" }, "Gitple event: x"],
  ])("no fields at all (%j): header and footer only, no empty section", (raw, title) => {
    const p = format(raw as Raw);
    expect(p.blocks).toEqual([header(title), footer(`Gitple · ${raw.type} · trigger t1`)]);
    expect(violations(p)).toEqual([]);
  });
});

describe("formatSlack: contact details", () => {
  it("adds email and phone only when the destination includes contact", () => {
    const off = JSON.stringify(format(message));
    expect(off).not.toContain("minji.kim@example.com");
    expect(off).not.toContain("010-1234-5678");
    const on = format(message, withContact);
    expect(on.blocks[1]).toEqual({
      type: "section",
      fields: [
        md("*From*\nagent 5c9b1f0e4d2a7b0012c3d4e5"),
        md("*To*\n김민지"),
        md("*To id*\nuser 5cc6b9a28e1c2a0013f09e21"),
        md("*Email*\nminji.kim@example.com"),
        md("*Phone*\n010-1234-5678"),
      ],
    });
  });
});

describe("formatSlack: hostile input", () => {
  const hostile = {
    type: "send_external_message",
    triggerId: "<!here>",
    appCode: "<!everyone>",
    from: { type: "agent", id: "<@U123>" },
    to: { type: "user", id: "u&1", name: "<!channel> 김\r\n*Email*\r\nfake@evil.example", email: "<mailto:x@y|x>" },
    message: { content: "<!here|here> & </script>\r\n<https://evil.example|click>" },
  };

  it("escapes every payload string in mrkdwn and keeps single-line values on one line", () => {
    const p = format(hostile, withContact);
    expect(violations(p)).toEqual([]);
    expect(p).toEqual({
      text: "Message from agent &lt;@U123&gt;: &lt;!here|here&gt; &amp; &lt;/script&gt; &lt;https://evil.example|click&gt;",
      blocks: [
        header("Message from agent <@U123>"),
        {
          type: "section",
          fields: [
            md("*From*\nagent &lt;@U123&gt;"),
            md("*To*\n&lt;!channel&gt; 김 *Email* fake@evil.example"),
            md("*To id*\nuser u&amp;1"),
            md("*Email*\n&lt;mailto:x@y|x&gt;"),
          ],
        },
        {
          type: "section",
          text: md("*Message*\n&lt;!here|here&gt; &amp; &lt;/script&gt;\n&lt;https://evil.example|click&gt;"),
        },
        footer("Gitple · send_external_message · trigger &lt;!here&gt; · &lt;!everyone&gt;"),
      ],
    });
  });

  it("escapes session events too (reason, tags, note)", () => {
    const p = format({
      type: "session_state_close",
      triggerId: "t-h",
      session: { reason: "<!channel>", tags: ["<!subteam^S1>", "a&b"], note: "<!here> &amp; already" },
    });
    expect(violations(p)).toEqual([]);
    expect(p.blocks[0]).toEqual(header("Session closed (<!channel>)"));
    expect(p.blocks[1]).toEqual({ type: "section", fields: [md("*Tags*\n&lt;!subteam^S1&gt;, a&amp;b")] });
    expect(p.blocks[2]).toEqual({ type: "section", text: md("*Note*\n&lt;!here&gt; &amp;amp; already") });
    expect(p.text).toBe("Session closed (&lt;!channel&gt;): &lt;!here&gt; &amp;amp; already");
  });
});

describe("formatSlack: limits", () => {
  it("cuts very long Korean text with …", () => {
    const note = "가나다라마바사".repeat(2000);
    const p = format({
      type: "session_state_close",
      triggerId: "t-ko",
      session: { note, reason: "긴사유".repeat(100) },
    });
    expect(violations(p)).toEqual([]);
    const noteText = textOf(p.blocks[1]);
    expect(noteText).toHaveLength(SLACK_LIMITS.sectionText);
    expect(noteText).toBe(`*Note*\n${note.slice(0, SLACK_LIMITS.sectionText - 8)}…`);
    const title = textOf(p.blocks[0]);
    expect(title).toHaveLength(SLACK_LIMITS.headerText);
    expect(title.endsWith("…")).toBe(true);
    expect(p.text).toHaveLength(SLACK_LIMITS.text);
  });

  it("shows a quiet-hours digest's 50 lines and its count of the rest, over several sections", () => {
    const events = Array.from({ length: 50 }, (_, i) => ({
      type: "session_state_close",
      at: "2026-12-05T14:10:00Z",
      session: `5cc14b61415b8906cfa1${String(i).padStart(4, "0")}`,
      tags: ["5cc7a1000000000000000001"],
      note: "배송이 늦어 환불을 요청합니다".repeat(3),
    }));
    const p = format({ type: "quiet_digest", triggerId: "q", held: { count: 53, events } });
    expect(violations(p)).toEqual([]);
    const sections = p.blocks.filter((b) => b.type === "section" && "text" in b).map(textOf);
    expect(sections.length).toBeGreaterThan(1);
    const lines = sections.join("\n").split("\n");
    expect(lines[0]).toBe("*Message*");
    expect(lines.filter((l) => l.startsWith("• session_state_close"))).toHaveLength(50);
    expect(lines.at(-1)).toBe("… and 3 more");
  });

  it("never splits an emoji or an entity at a cut", () => {
    for (const note of [
      "😀".repeat(5000),
      `a${"😀".repeat(5000)}`,
      "&".repeat(5000),
      `x${"<".repeat(5000)}`,
      `xy${"&".repeat(5000)}`,
    ]) {
      const p = format({ type: "session_state_close", triggerId: "t-cut", session: { note } });
      expect(violations(p)).toEqual([]);
    }
  });

  it("survives 100,000 tags", () => {
    const tags = Array.from({ length: 100_000 }, (_, i) => `태그-${i}`);
    const p = format({ type: "session_state_close", triggerId: "t-tags", session: { tags, categories: tags } });
    expect(violations(p)).toEqual([]);
    const fields = fieldsOf(p.blocks[1]);
    expect(fields).toHaveLength(2);
    for (const f of fields) {
      expect(f).toHaveLength(SLACK_LIMITS.fieldText);
      expect(f.endsWith("…")).toBe(true);
    }
  });

  it("holds for any payload and template (property)", () => {
    assertHoldsForAnyPayload(
      (event, o) =>
        formatSlack(
          event,
          { ...dest, include_contact: o.includeContact, session_url: o.sessionUrl },
          { template: o.template },
        ),
      violations,
    );
  });
});

describe("formatSlack: Open in Gitple button", () => {
  const button = (url: string) => ({
    type: "actions",
    elements: [{ type: "button", text: { type: "plain_text", text: "Open in Gitple" }, url }],
  });

  it("links the destination's session_url, or the caller's, before the footer", () => {
    const fromDest = format(open, { ...dest, session_url: "https://console.gitple.io/ws/1" });
    expect(fromDest.blocks.at(-2)).toEqual(button("https://console.gitple.io/ws/1"));
    const fromOpts = format(
      open,
      { ...dest, session_url: "https://a.example" },
      { sessionUrl: "https://b.example/s/1" },
    );
    expect(fromOpts.blocks.at(-2)).toEqual(button("https://b.example/s/1"));
    expect(fromOpts.blocks.at(-1)).toEqual(
      footer("Gitple · session_state_open · trigger 5cc6bdfb8e1c2a0013f0a101 · acme-shop"),
    );
  });

  it.each([
    ["javascript:", "javascript:alert(1)"],
    ["ftp:", "ftp://example.com/x"],
    ["not a URL", "not a url"],
    ["empty", ""],
    ["longer than 3000", `https://example.com/${"a".repeat(3000)}`],
  ])("skips a URL that is %s", (_, sessionUrl) => {
    const p = format(open, { ...dest, session_url: sessionUrl });
    expect(p.blocks.some((b) => b.type === "actions")).toBe(false);
    expect(violations(p)).toEqual([]);
  });
});

describe("escape.ts", () => {
  it.each([
    ["<!channel>", "&lt;!channel&gt;"],
    ["<!here|here>", "&lt;!here|here&gt;"],
    ["<@U123> & co", "&lt;@U123&gt; &amp; co"],
    ["&amp;", "&amp;amp;"],
    ["*bold* _it_ `code` 'quote' \"dq\"", "*bold* _it_ `code` 'quote' \"dq\""],
  ])("escapeMrkdwn(%j) → %j", (input, expected) => {
    expect(escapeMrkdwn(input)).toBe(expected);
  });

  it.each([
    ["short", 10, "short"],
    ["exactly10!", 10, "exactly10!"],
    ["안녕하세요", 4, "안녕하…"],
    ["a😀b", 3, "a…"],
    ["ab😀", 3, "ab…"],
    ["abc", 1, "…"],
    ["abc", 0, ""],
  ])("truncate(%j, %i) → %j", (input, max, expected) => {
    expect(truncate(input, max)).toBe(expected);
  });

  it.each([
    ["a & b", 5, "a …"],
    ["a & b", 9, "a &amp; b"],
    ["a & b", 8, "a &amp;…"],
    ["<<", 5, "&lt;…"],
    ["<<", 4, "…"],
    ["가<", 4, "가…"],
    ["plain", 3, "pl…"],
  ])("escapeTruncate(%j, %i) → %j", (input, max, expected) => {
    expect(escapeTruncate(input, max)).toBe(expected);
  });

  it("cuts a huge text without escaping all of it", () => {
    const out = escapeTruncate("<".repeat(10_000_000), 3000);
    expect(out).toHaveLength(2997);
    expect(out).toBe(`${"&lt;".repeat(749)}…`);
  });
});
