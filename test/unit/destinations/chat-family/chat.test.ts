// What Discord, Teams and Google Chat share: cutting escaped text, the session
// link, and which wording (template or built-in) a message gets.
import { describe, expect, it } from "vitest";
import { chatContent } from "../../../../src/destinations/chat-family/content.ts";
import { cut, fitWithin, jsonBytes } from "../../../../src/destinations/chat-family/text.ts";
import { viewEvent } from "../../../../src/event/view.ts";
import { multiLine } from "../../../../src/format/describe.ts";
import { renderLink, templateValues } from "../../../../src/format/template.ts";
import { oneLine } from "../../../../src/lib/text.ts";
import message from "../../../fixtures/events/send_external_message.json";
import close from "../../../fixtures/events/session_state_close.json";

const bracket = { title: (s: string) => `[${s}]`, text: (s: string) => `<${s}>` };
const dest = { include_contact: false };

describe("cut", () => {
  it.each([
    ["short", 10, "short"],
    ["exactly10!", 10, "exactly10!"],
    ["안녕하세요", 4, "안녕하…"],
    ["a😀b", 3, "a…"],
    ["ab😀", 3, "ab…"],
    ["abc", 1, "…"],
    ["abc", 0, ""],
    ["a &amp; b", 6, "a …"],
    ["a &amp; b", 8, "a &amp;…"],
    ["x &#39;y", 5, "x …"],
    ["ab<br>cd", 5, "ab…"],
    ["ab<br>cd", 7, "ab<br>…"],
    ["a\\*b", 3, "a…"],
    ["a\\\\bc", 4, "a\\\\…"],
    ["a&b long tail here", 10, "a…"],
  ])("cut(%j, %i) → %j", (text, max, expected) => {
    expect(cut(text, max)).toBe(expected);
  });

  it("backs off only near the cut: a literal < far back is kept", () => {
    const text = `a < b ${"x".repeat(100)}`;
    expect(cut(text, 60)).toBe(`${text.slice(0, 59)}…`);
  });

  it("never exceeds max and never leaves a lone surrogate", () => {
    for (const text of ["😀".repeat(50), `&${"😀".repeat(50)}`, `${"\\".repeat(51)}`, "<".repeat(100)]) {
      for (let max = 0; max < 40; max++) {
        const out = cut(text, max);
        expect(out.length).toBeLessThanOrEqual(max);
        expect(out.isWellFormed()).toBe(true);
      }
    }
  });
});

describe("oneLine, multiLine, jsonBytes, fitWithin", () => {
  it("flattens or keeps line breaks", () => {
    expect(oneLine(" 김\r\n*Email*\tx\u0000 ")).toBe("김 *Email* x");
    expect(multiLine(" a\r\nb\rc\u0000d\te ")).toBe("a\nb\ncd\te");
  });

  it("counts UTF-8 bytes of the JSON", () => {
    expect(jsonBytes({ text: "가" })).toBe(14);
    expect(jsonBytes({ t: "\n" })).toBe(10);
  });

  it("tries ever smaller caps until the payload fits, else returns the smallest", () => {
    const caps: number[] = [];
    const out = fitWithin(
      (cap) => {
        caps.push(cap);
        return cap;
      },
      (cap) => cap <= 600,
    );
    expect(out).toBe(512);
    expect(caps).toEqual([Number.POSITIVE_INFINITY, 8192, 4096, 2048, 1024, 512]);
    expect(
      fitWithin(
        (cap) => cap,
        () => false,
      ),
    ).toBe(64);
  });
});

describe("renderLink (the session link every chat kind shows)", () => {
  const values = templateValues(
    viewEvent({ type: "session_state_close", triggerId: "t 1", session: { id: "a/b?c=d&e#f" } }),
    { includeContact: false },
  );

  it.each<[string, string | undefined, string | undefined]>([
    ["no template", undefined, undefined],
    ["a fixed URL", "https://console.gitple.io/", "https://console.gitple.io/"],
    [
      "values URL-encoded",
      "https://console.gitple.io/s/{{session.id}}?t={{triggerId}}",
      "https://console.gitple.io/s/a%2Fb%3Fc%3Dd%26e%23f?t=t%201",
    ],
    ["http is fine", "http://127.0.0.1:9/{{type}}", "http://127.0.0.1:9/session_state_close"],
    ["javascript: refused", "javascript:alert({{triggerId}})", undefined],
    ["a value cannot choose the scheme", "{{session.id}}", undefined],
    ["relative refused", "/sessions/{{session.id}}", undefined],
    ["ftp refused", "ftp://x.example/{{session.id}}", undefined],
    ["over 2048 refused", `https://x.example/${"a".repeat(2048)}`, undefined],
    ["blank", "  ", undefined],
  ])("%s", (_, template, expected) => {
    expect(renderLink(template, values)).toBe(expected);
  });
});

describe("chatContent: which wording", () => {
  const view = viewEvent(close);

  it("built-in: escaped title and fields, footer, no text", () => {
    const c = chatContent(view, dest, undefined, bracket);
    expect(c.title).toBe("[Session closed (userCancel)]");
    expect(c.text).toBeUndefined();
    expect(c.fields[0]).toEqual({ label: "Session", value: "<5cc6bdfb8e1c2a0013f0a0f7>", long: false });
    expect(c.fields.at(-1)).toEqual({
      label: "Note",
      value: "<택배 분실로 환불 요청.\n주문번호 20190429-0012, 재발송 불가 안내함.>",
      long: true,
    });
    expect(c.footer).toBe("Gitple · session_state_close · trigger 5cc6c0048e1c2a0013f0a1c3 · acme-shop");
    expect(c).not.toHaveProperty("link");
  });

  it("a template's title and text replace the built-in ones; values escaped, template markup kept", () => {
    const c = chatContent(
      view,
      { ...dest, session_url: "https://console.gitple.io/s/{{session.id}}" },
      { title: "**Closed** {{session.id}}", text: "*Reason*: {{session.reason}}\n{{session.note}}" },
      bracket,
    );
    expect(c).toEqual({
      title: "**Closed** [5cc6bdfb8e1c2a0013f0a0f7]",
      text: "*Reason*: <userCancel>\n<택배 분실로 환불 요청.\n주문번호 20190429-0012, 재발송 불가 안내함.>",
      fields: [],
      footer: "Gitple · session_state_close · trigger 5cc6c0048e1c2a0013f0a1c3 · acme-shop",
      link: "https://console.gitple.io/s/5cc6bdfb8e1c2a0013f0a0f7",
    });
  });

  it("a template with only a title keeps the built-in fields; with only a text keeps the built-in title", () => {
    const titled = chatContent(view, dest, { title: "{{type}}" }, bracket);
    expect(titled.title).toBe("[session_state_close]");
    expect(titled.fields.length).toBeGreaterThan(5);
    const texted = chatContent(view, dest, { text: "{{duration}}" }, bracket);
    expect(texted.title).toBe("[Session closed (userCancel)]");
    expect(texted.text).toBe("<8m 40s>");
  });

  it("a title that renders blank falls back to the built-in title", () => {
    const escapers = { title: (s: string) => s.toUpperCase(), text: (s: string) => s };
    expect(chatContent(view, dest, { title: " {{to.name}} " }, escapers).title).toBe("SESSION CLOSED (USERCANCEL)");
  });

  it("puts single-line values on one line, keeps the note's and message's breaks", () => {
    const hostile = viewEvent({
      type: "send_external_message",
      triggerId: "t\r\n1",
      to: { name: "김\r\n**Email** fake" },
      message: { content: "line 1\r\nline 2" },
    });
    const c = chatContent(hostile, dest, { title: "{{to.name}}", text: "{{to.name}}|{{message.content}}" }, bracket);
    expect(c.title).toBe("[김 **Email** fake]");
    expect(c.text).toBe("<김 **Email** fake>|<line 1\nline 2>");
    expect(c.footer).toBe("Gitple · send_external_message · trigger t 1");
  });

  it("shows contact details only with include_contact", () => {
    const withContact = { include_contact: true };
    const identity = { title: (s: string) => s, text: (s: string) => s };
    const fields = (d: { include_contact: boolean }) =>
      chatContent(viewEvent(message), d, undefined, identity).fields.map((f) => f.label);
    expect(fields(dest)).not.toContain("Email");
    expect(fields(withContact)).toEqual(expect.arrayContaining(["Email", "Phone"]));
    const text = (d: { include_contact: boolean }) =>
      chatContent(viewEvent(message), d, { text: "{{to.email}} {{to.phone}}" }, identity).text;
    expect(text(dest)).toBe("");
    expect(text(withContact)).toBe("minji.kim@example.com 010-1234-5678");
  });
});
