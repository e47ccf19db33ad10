import { describe, expect, it } from "vitest";
import { jsonBytes } from "../../../../src/destinations/chat-family/text.ts";
import type { TeamsDestinationConfig } from "../../../../src/destinations/teams/config.ts";
import { escapeTeams } from "../../../../src/destinations/teams/escape.ts";
import {
  type AdaptiveCard,
  formatTeams,
  TEAMS_LIMITS,
  type TeamsElement,
  type TeamsPayload,
} from "../../../../src/destinations/teams/format.ts";
import { viewEvent } from "../../../../src/event/view.ts";
import type { Template } from "../../../../src/routing/types.ts";
import message from "../../../fixtures/events/send_external_message.json";
import close from "../../../fixtures/events/session_state_close.json";
import inprogress from "../../../fixtures/events/session_state_inprogress.json";
import open from "../../../fixtures/events/session_state_open.json";
import { assertHoldsForAnyPayload, hostileEvent } from "../../../support/hostile.ts";

const dest: TeamsDestinationConfig = { type: "teams", webhook_url_secret: "TEAMS_URL", include_contact: false };

type Raw = Record<string, unknown> & { type: string; triggerId: string };
const format = (raw: Raw, d: TeamsDestinationConfig = dest, template?: Template) =>
  formatTeams(viewEvent(raw), d, template);

const title = (text: string): TeamsElement => ({
  type: "TextBlock",
  text,
  wrap: true,
  weight: "Bolder",
  size: "Medium",
});
const facts = (...pairs: [string, string][]): TeamsElement => ({
  type: "FactSet",
  facts: pairs.map(([t, value]) => ({ title: t, value })),
});
const block = (text: string): TeamsElement => ({ type: "TextBlock", text, wrap: true });
const footer = (text: string): TeamsElement => ({
  type: "TextBlock",
  text,
  wrap: true,
  isSubtle: true,
  size: "Small",
  spacing: "Medium",
});

/** The workflow webhook's envelope around one card. */
function message_(body: TeamsElement[], actions?: AdaptiveCard["actions"]): TeamsPayload {
  return {
    type: "message",
    attachments: [
      {
        contentType: "application/vnd.microsoft.card.adaptive",
        contentUrl: null,
        content: {
          $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
          type: "AdaptiveCard",
          version: "1.4",
          body,
          ...(actions ? { actions } : {}),
          msteams: { width: "Full" },
        },
      },
    ],
  };
}

const cardOf = (p: TeamsPayload): AdaptiveCard => p.attachments[0].content;

/** Teams' size limit and the card's shape rules; [] when the payload respects all of them. */
function violations(p: TeamsPayload): string[] {
  const bad: string[] = [];
  if (jsonBytes(p) > TEAMS_LIMITS.bytes) bad.push(`${jsonBytes(p)} bytes`);
  const texts: string[] = [];
  for (const el of cardOf(p).body) {
    if (el.type === "TextBlock") texts.push(el.text);
    else for (const f of el.facts) texts.push(f.title, f.value);
  }
  for (const t of texts) {
    if (t.length === 0) bad.push("empty text");
    if (!t.isWellFormed()) bad.push(`lone surrogate: ${t.slice(0, 40)}`);
    // A live Markdown link: "](" not preceded by the escape.
    if (/(?<!\\)\]\(/.test(t)) bad.push(`live link: ${t.slice(0, 80)}`);
  }
  for (const a of cardOf(p).actions ?? []) if (!/^https?:\/\//.test(a.url)) bad.push(`action url ${a.url}`);
  return bad;
}

describe("formatTeams: the four Gitple event types", () => {
  it("session_state_open", () => {
    expect(format(open)).toEqual(
      message_([
        title("Session opened"),
        facts(
          ["Session", "5cc6bdfb8e1c2a0013f0a0f7"],
          ["User", "5cc6b9a28e1c2a0013f09e21"],
          ["Opened", "2019-04-29 08:57:15 UTC"],
          ["Categories", "5cc7c2000000000000000001"],
          ["Tags", "5cc7a1000000000000000003"],
          ["User groups", "5cc7e3000000000000000001"],
        ),
        footer("Gitple · session\\_state\\_open · trigger 5cc6bdfb8e1c2a0013f0a101 · acme-shop"),
      ]),
    );
  });

  it("session_state_inprogress", () => {
    expect(format(inprogress)).toEqual(
      message_([
        title("Session assigned"),
        facts(
          ["Session", "5cc6bdfb8e1c2a0013f0a0f7"],
          ["User", "5cc6b9a28e1c2a0013f09e21"],
          ["Assignee", "agent 5c9b1f0e4d2a7b0012c3d4e5"],
          ["Opened", "2019-04-29 08:57:15 UTC"],
          ["In progress", "2019-04-29 08:57:15 UTC"],
          ["Categories", "5cc7c2000000000000000001"],
          ["Tags", "5cc7a1000000000000000003"],
          ["User groups", "5cc7e3000000000000000001"],
        ),
        footer("Gitple · session\\_state\\_inprogress · trigger 5cc6bdfb8e1c2a0013f0a102 · acme-shop"),
      ]),
    );
  });

  it("session_state_close", () => {
    expect(format(close)).toEqual(
      message_([
        title("Session closed (userCancel)"),
        facts(
          ["Session", "5cc6bdfb8e1c2a0013f0a0f7"],
          ["User", "5cc6b9a28e1c2a0013f09e21"],
          ["Assignee", "agent 5c9b1f0e4d2a7b0012c3d4e5"],
          ["Opened", "2019-04-29 08:57:15 UTC"],
          ["In progress", "2019-04-29 08:57:15 UTC"],
          ["Closed", "2019-04-29 09:05:56 UTC"],
          ["Duration", "8m 40s"],
          ["Categories", "5cc7c2000000000000000001, 5cc7c2000000000000000005"],
          ["Tags", "5cc7a1000000000000000003, 5cc7a1000000000000000002"],
          ["User groups", "5cc7e3000000000000000001"],
        ),
        block("**Note**\n\n택배 분실로 환불 요청.\n\n주문번호 20190429-0012, 재발송 불가 안내함."),
        footer("Gitple · session\\_state\\_close · trigger 5cc6c0048e1c2a0013f0a1c3 · acme-shop"),
      ]),
    );
  });

  it("send_external_message", () => {
    expect(format(message)).toEqual(
      message_([
        title("Message from agent 5c9b1f0e4d2a7b0012c3d4e5"),
        facts(["From", "agent 5c9b1f0e4d2a7b0012c3d4e5"], ["To", "김민지"], ["To id", "user 5cc6b9a28e1c2a0013f09e21"]),
        block("**Message**\n\n물류팀 확인 부탁드립니다. 주문번호 20190429-0012 택배가 3일째 배송 중 상태입니다."),
        footer("Gitple · send\\_external\\_message · trigger 5cc6bf6a8e1c2a0013f0a150 · acme-shop"),
      ]),
    );
  });

  it("an event with nothing but its ids: title and footer, no empty FactSet", () => {
    expect(format({ type: "x", triggerId: "t1" })).toEqual(
      message_([title("Gitple event: x"), footer("Gitple · x · trigger t1")]),
    );
  });

  it("adds email and phone only with include_contact", () => {
    expect(JSON.stringify(format(message))).not.toContain("minji.kim@example.com");
    expect(cardOf(format(message, { ...dest, include_contact: true })).body[1]).toEqual(
      facts(
        ["From", "agent 5c9b1f0e4d2a7b0012c3d4e5"],
        ["To", "김민지"],
        ["To id", "user 5cc6b9a28e1c2a0013f09e21"],
        ["Email", "minji.kim@example.com"],
        ["Phone", "010-1234-5678"],
      ),
    );
  });
});

describe("formatTeams: templates and the session link", () => {
  it("uses the template's title and text (values escaped) and adds an Open in Gitple action", () => {
    const p = format(
      close,
      { ...dest, session_url: "https://console.gitple.io/s/{{session.id}}?by={{session.assigneeType}}" },
      { title: "**Closed** {{session.id}}", text: "- {{session.reason}}\n- {{session.tags}}" },
    );
    expect(p).toEqual(
      message_(
        [
          title("**Closed** 5cc6bdfb8e1c2a0013f0a0f7"),
          block("- userCancel\n- 5cc7a1000000000000000003, 5cc7a1000000000000000002"),
          footer("Gitple · session\\_state\\_close · trigger 5cc6c0048e1c2a0013f0a1c3 · acme-shop"),
        ],
        [
          {
            type: "Action.OpenUrl",
            title: "Open in Gitple",
            url: "https://console.gitple.io/s/5cc6bdfb8e1c2a0013f0a0f7?by=agent",
          },
        ],
      ),
    );
    expect(violations(p)).toEqual([]);
  });

  it("keeps the built-in fields under a template that sets only a title", () => {
    const body = cardOf(format(open, dest, { title: "{{appCode}}: {{session.id}}" })).body;
    expect(body[0]).toEqual(title("acme-shop: 5cc6bdfb8e1c2a0013f0a0f7"));
    expect(body[1]?.type).toBe("FactSet");
  });
});

describe("formatTeams: hostile input", () => {
  it("escapes Markdown in every payload string; HTML is never rendered by Adaptive Cards", () => {
    const p = format(hostileEvent(), { ...dest, include_contact: true });
    expect(violations(p)).toEqual([]);
    expect(p).toEqual(
      message_([
        title("Message from agent <@U123> \\*\\*bold\\*\\*"),
        facts(
          ["From", "agent <@U123> \\*\\*bold\\*\\*"],
          ["To", "<!channel> @everyone 김 \\*Email\\* fake@evil.example"],
          ["To id", "user @here"],
          ["Email", "<mailto:x@y|x>"],
        ),
        block(
          "**Message**\n\n<!here|here> & </script>\n\n<@&123> <#456> \\[click\\](https://evil.example)\n\n# not a heading\n\n\\- not a list\n\n||spoiler|| \\`code\\`",
        ),
        footer("Gitple · send\\_external\\_message · trigger <!here> · @everyone"),
      ]),
    );
  });
});

describe("formatTeams: limits", () => {
  it("cuts very long Korean text and keeps the message under Teams' ~28 KB", () => {
    const note = "가나다라마바사".repeat(3000);
    const p = format({
      type: "session_state_close",
      triggerId: "t-ko",
      session: { note, reason: "긴사유".repeat(1000) },
    });
    expect(violations(p)).toEqual([]);
    expect(jsonBytes(p)).toBeGreaterThan(TEAMS_LIMITS.bytes / 2);
    const [head, noteBlock] = cardOf(p).body;
    expect(head?.type === "TextBlock" && head.text).toHaveLength(TEAMS_LIMITS.title);
    expect(noteBlock?.type === "TextBlock" && noteBlock.text.startsWith("**Note**\n\n가나다라")).toBe(true);
    expect(noteBlock?.type === "TextBlock" && noteBlock.text.endsWith("…")).toBe(true);
  });

  it("survives 100,000 tags", () => {
    const tags = Array.from({ length: 100_000 }, (_, i) => `태그-${i}`);
    const p = format({ type: "session_state_close", triggerId: "t-tags", session: { tags, categories: tags } });
    expect(violations(p)).toEqual([]);
    const set = cardOf(p).body[1];
    expect(set?.type === "FactSet" && set.facts.map((f) => [f.title, f.value.length])).toEqual([
      ["Categories", TEAMS_LIMITS.factValue],
      ["Tags", TEAMS_LIMITS.factValue],
    ]);
  });

  it("holds for any payload and template (property)", () => {
    assertHoldsForAnyPayload(
      (event, o) =>
        formatTeams(event, { ...dest, include_contact: o.includeContact, session_url: o.sessionUrl }, o.template),
      violations,
    );
  });
});

describe("escapeTeams", () => {
  it.each([
    ["plain 텍스트 <b>html</b> & co", "plain 텍스트 <b>html</b> & co"],
    ["**bold** _it_ ~s~ `c`", "\\*\\*bold\\*\\* \\_it\\_ \\~s\\~ \\`c\\`"],
    ["a\\b", "a\\\\b"],
    ["[x](https://e.example)", "\\[x\\](https://e.example)"],
    ["- item\n+ item\n12. item\nnot - a list", "\\- item\n\n\\+ item\n\n12\\. item\n\nnot - a list"],
  ])("%j → %j", (input, expected) => {
    expect(escapeTeams(input)).toBe(expected);
  });
});
