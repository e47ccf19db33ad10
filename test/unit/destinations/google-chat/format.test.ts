import { describe, expect, it } from "vitest";
import { jsonBytes } from "../../../../src/destinations/chat-family/text.ts";
import type { GoogleChatDestinationConfig } from "../../../../src/destinations/google-chat/config.ts";
import { escapeChatHtml, neutraliseChatText } from "../../../../src/destinations/google-chat/escape.ts";
import {
  type ChatWidget,
  formatGoogleChat,
  GOOGLE_CHAT_LIMITS,
  type GoogleChatPayload,
} from "../../../../src/destinations/google-chat/format.ts";
import { viewEvent } from "../../../../src/event/view.ts";
import type { Template } from "../../../../src/routing/types.ts";
import message from "../../../fixtures/events/send_external_message.json";
import close from "../../../fixtures/events/session_state_close.json";
import inprogress from "../../../fixtures/events/session_state_inprogress.json";
import open from "../../../fixtures/events/session_state_open.json";
import { assertHoldsForAnyPayload, hostileEvent } from "../../../support/hostile.ts";

const dest: GoogleChatDestinationConfig = {
  type: "google-chat",
  webhook_url_secret: "GCHAT_URL",
  include_contact: false,
};

type Raw = Record<string, unknown> & { type: string; triggerId: string };
const format = (raw: Raw, d: GoogleChatDestinationConfig = dest, template?: Template) =>
  formatGoogleChat(viewEvent(raw), d, template);

const field = (topLabel: string, text: string): ChatWidget => ({ decoratedText: { topLabel, text, wrapText: true } });
const paragraph = (text: string): ChatWidget => ({ textParagraph: { text } });
const button = (url: string): ChatWidget => ({
  buttonList: { buttons: [{ text: "Open in Gitple", onClick: { openLink: { url } } }] },
});

function chatMessage(title: string, subtitle: string, widgets: ChatWidget[]): GoogleChatPayload {
  return {
    text: title,
    cardsV2: [{ cardId: "gitple-event", card: { header: { title, subtitle }, sections: [{ widgets }] } }],
  };
}

const widgetsOf = (p: GoogleChatPayload) => p.cardsV2[0].card.sections.flatMap((s) => s.widgets);

/** Google Chat's size limit and the card's shape rules; [] when the payload respects all of them. */
function violations(p: GoogleChatPayload): string[] {
  const bad: string[] = [];
  if (jsonBytes(p) > GOOGLE_CHAT_LIMITS.bytes) bad.push(`${jsonBytes(p)} bytes`);
  const { header, sections } = p.cardsV2[0].card;
  for (const t of [p.text, header.title, header.subtitle]) {
    if (t.length < 1 || t.length > GOOGLE_CHAT_LIMITS.title) bad.push(`header text length ${t.length}`);
    if (!t.isWellFormed()) bad.push("lone surrogate in header");
  }
  if (/<[^\u200b]/.test(p.text)) bad.push(`live Chat markup in text: ${p.text.slice(0, 60)}`);
  if (sections.length !== 1 || sections[0]?.widgets.length === 0) bad.push("a card needs one non-empty section");
  for (const w of widgetsOf(p)) {
    const html = "decoratedText" in w ? w.decoratedText.text : "textParagraph" in w ? w.textParagraph.text : undefined;
    if (html !== undefined) {
      if (html.length === 0) bad.push("empty widget text");
      if (!html.isWellFormed()) bad.push("lone surrogate in a widget");
      // Only our own tags (<b>, <br>) and complete entities may appear.
      const stripped = html.replace(/<\/?b>|<br>/g, "").replace(/&(?:amp|lt|gt|quot|#39);/g, "");
      if (/[<>&]/.test(stripped)) bad.push(`unescaped HTML: ${html.slice(0, 80)}`);
    }
    if ("buttonList" in w) {
      for (const b of w.buttonList.buttons) {
        if (!/^https?:\/\//.test(b.onClick.openLink.url)) bad.push(`button url ${b.onClick.openLink.url}`);
      }
    }
  }
  return bad;
}

describe("formatGoogleChat: the four Gitple event types", () => {
  it("session_state_open", () => {
    expect(format(open)).toEqual(
      chatMessage("Session opened", "Gitple · session_state_open · trigger 5cc6bdfb8e1c2a0013f0a101 · acme-shop", [
        field("Session", "5cc6bdfb8e1c2a0013f0a0f7"),
        field("User", "5cc6b9a28e1c2a0013f09e21"),
        field("Opened", "2019-04-29 08:57:15 UTC"),
        field("Categories", "5cc7c2000000000000000001"),
        field("Tags", "5cc7a1000000000000000003"),
        field("User groups", "5cc7e3000000000000000001"),
      ]),
    );
  });

  it("session_state_inprogress", () => {
    expect(format(inprogress)).toEqual(
      chatMessage(
        "Session assigned",
        "Gitple · session_state_inprogress · trigger 5cc6bdfb8e1c2a0013f0a102 · acme-shop",
        [
          field("Session", "5cc6bdfb8e1c2a0013f0a0f7"),
          field("User", "5cc6b9a28e1c2a0013f09e21"),
          field("Assignee", "agent 5c9b1f0e4d2a7b0012c3d4e5"),
          field("Opened", "2019-04-29 08:57:15 UTC"),
          field("In progress", "2019-04-29 08:57:15 UTC"),
          field("Categories", "5cc7c2000000000000000001"),
          field("Tags", "5cc7a1000000000000000003"),
          field("User groups", "5cc7e3000000000000000001"),
        ],
      ),
    );
  });

  it("session_state_close", () => {
    expect(format(close)).toEqual(
      chatMessage(
        "Session closed (userCancel)",
        "Gitple · session_state_close · trigger 5cc6c0048e1c2a0013f0a1c3 · acme-shop",
        [
          field("Session", "5cc6bdfb8e1c2a0013f0a0f7"),
          field("User", "5cc6b9a28e1c2a0013f09e21"),
          field("Assignee", "agent 5c9b1f0e4d2a7b0012c3d4e5"),
          field("Opened", "2019-04-29 08:57:15 UTC"),
          field("In progress", "2019-04-29 08:57:15 UTC"),
          field("Closed", "2019-04-29 09:05:56 UTC"),
          field("Duration", "8m 40s"),
          field("Categories", "5cc7c2000000000000000001, 5cc7c2000000000000000005"),
          field("Tags", "5cc7a1000000000000000003, 5cc7a1000000000000000002"),
          field("User groups", "5cc7e3000000000000000001"),
          paragraph("<b>Note</b><br>택배 분실로 환불 요청.<br>주문번호 20190429-0012, 재발송 불가 안내함."),
        ],
      ),
    );
  });

  it("send_external_message", () => {
    expect(format(message)).toEqual(
      chatMessage(
        "Message from agent 5c9b1f0e4d2a7b0012c3d4e5",
        "Gitple · send_external_message · trigger 5cc6bf6a8e1c2a0013f0a150 · acme-shop",
        [
          field("From", "agent 5c9b1f0e4d2a7b0012c3d4e5"),
          field("To", "김민지"),
          field("To id", "user 5cc6b9a28e1c2a0013f09e21"),
          paragraph(
            "<b>Message</b><br>물류팀 확인 부탁드립니다. 주문번호 20190429-0012 택배가 3일째 배송 중 상태입니다.",
          ),
        ],
      ),
    );
  });

  it("an event with nothing but its ids: the footer fills the one section a card needs", () => {
    expect(format({ type: "x", triggerId: "t<1>" })).toEqual(
      chatMessage("Gitple event: x", "Gitple · x · trigger t<1>", [paragraph("Gitple · x · trigger t&lt;1&gt;")]),
    );
  });

  it("adds email and phone only with include_contact", () => {
    expect(JSON.stringify(format(message))).not.toContain("minji.kim@example.com");
    expect(widgetsOf(format(message, { ...dest, include_contact: true })).slice(3, 5)).toEqual([
      field("Email", "minji.kim@example.com"),
      field("Phone", "010-1234-5678"),
    ]);
  });
});

describe("formatGoogleChat: templates and the session link", () => {
  it("uses the template's title (plain) and text (values escaped, markup kept), and adds a button", () => {
    const p = format(
      { ...close, session: { ...close.session, reason: "<b>not bold</b>" } },
      { ...dest, session_url: "https://console.gitple.io/s/{{session.id}}" },
      { title: "Closed: {{session.reason}}", text: "<b>Reason</b> {{session.reason}}\n<i>{{session.tags}}</i>" },
    );
    expect(p.cardsV2).toEqual(
      chatMessage(
        "Closed: <b>not bold</b>",
        "Gitple · session_state_close · trigger 5cc6c0048e1c2a0013f0a1c3 · acme-shop",
        [
          paragraph(
            "<b>Reason</b> &lt;b&gt;not bold&lt;/b&gt;<br><i>5cc7a1000000000000000003, 5cc7a1000000000000000002</i>",
          ),
          button("https://console.gitple.io/s/5cc6bdfb8e1c2a0013f0a0f7"),
        ],
      ).cardsV2,
    );
    // The top-level text uses Chat's own markup: its < is defused.
    expect(p.text).toBe("Closed: <\u200bb>not bold<\u200b/b>");
  });
});

describe("formatGoogleChat: hostile input", () => {
  it("HTML-escapes every payload string in the card and defuses mentions in the text", () => {
    const p = format(hostileEvent(), { ...dest, include_contact: true });
    expect(violations(p)).toEqual([]);
    expect(p.text).toBe("Message from agent <\u200b@U123> **bold**");
    expect(p.cardsV2[0].card.header).toEqual({
      title: "Message from agent <@U123> **bold**",
      subtitle: "Gitple · send_external_message · trigger <!here> · @everyone",
    });
    expect(widgetsOf(p)).toEqual([
      field("From", "agent &lt;@U123&gt; **bold**"),
      field("To", "&lt;!channel&gt; @everyone 김 *Email* fake@evil.example"),
      field("To id", "user @here"),
      field("Email", "&lt;mailto:x@y|x&gt;"),
      paragraph(
        "<b>Message</b><br>&lt;!here|here&gt; &amp; &lt;/script&gt;<br>&lt;@&amp;123&gt; &lt;#456&gt; [click](https://evil.example)<br># not a heading<br>- not a list<br>||spoiler|| `code`",
      ),
    ]);
  });
});

describe("formatGoogleChat: limits", () => {
  it("cuts very long Korean text and keeps the message under 32,000 bytes", () => {
    const note = "가나다라마바사".repeat(3000);
    const p = format({
      type: "session_state_close",
      triggerId: "t-ko",
      session: { note, reason: "긴사유".repeat(1000) },
    });
    expect(violations(p)).toEqual([]);
    expect(jsonBytes(p)).toBeGreaterThan(GOOGLE_CHAT_LIMITS.bytes / 2);
    expect(p.cardsV2[0].card.header.title).toHaveLength(GOOGLE_CHAT_LIMITS.title);
    const [noteWidget] = widgetsOf(p);
    expect(noteWidget && "textParagraph" in noteWidget && noteWidget.textParagraph.text.endsWith("…")).toBe(true);
  });

  it("never cuts an entity or a <br> in half", () => {
    for (const note of ["&".repeat(40_000), "\n".repeat(40_000), `x${"<".repeat(40_000)}`]) {
      const p = format({ type: "session_state_close", triggerId: "t-cut", session: { note: `a${note}` } });
      expect(violations(p)).toEqual([]);
    }
  });

  it("survives 100,000 tags", () => {
    const tags = Array.from({ length: 100_000 }, (_, i) => `태그-${i}`);
    const p = format({ type: "session_state_close", triggerId: "t-tags", session: { tags, categories: tags } });
    expect(violations(p)).toEqual([]);
    expect(widgetsOf(p).map((w) => "decoratedText" in w && w.decoratedText.text.length)).toEqual([
      GOOGLE_CHAT_LIMITS.fieldText,
      GOOGLE_CHAT_LIMITS.fieldText,
    ]);
  });

  it("holds for any payload and template (property)", () => {
    assertHoldsForAnyPayload(
      (event, o) =>
        formatGoogleChat(event, { ...dest, include_contact: o.includeContact, session_url: o.sessionUrl }, o.template),
      violations,
    );
  });
});

describe("escape.ts", () => {
  it.each([
    ["</script> & co", "&lt;/script&gt; &amp; co"],
    [`"q" 'a'`, "&quot;q&quot; &#39;a&#39;"],
    ["line 1\nline 2", "line 1<br>line 2"],
    ["&amp;", "&amp;amp;"],
  ])("escapeChatHtml(%j) → %j", (input, expected) => {
    expect(escapeChatHtml(input)).toBe(expected);
  });

  it("neutraliseChatText defuses <users/all> and <url|label>", () => {
    expect(neutraliseChatText("<users/all> <https://evil.example|bank>")).toBe(
      "<\u200busers/all> <\u200bhttps://evil.example|bank>",
    );
  });
});
