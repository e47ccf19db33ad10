import { describe, expect, it } from "vitest";
import type { DiscordDestinationConfig } from "../../../../src/destinations/discord/config.ts";
import { escapeDiscord } from "../../../../src/destinations/discord/escape.ts";
import {
  DISCORD_LIMITS,
  type DiscordPayload,
  embedLength,
  formatDiscord,
} from "../../../../src/destinations/discord/format.ts";
import { viewEvent } from "../../../../src/event/view.ts";
import type { Template } from "../../../../src/routing/types.ts";
import message from "../../../fixtures/events/send_external_message.json";
import close from "../../../fixtures/events/session_state_close.json";
import inprogress from "../../../fixtures/events/session_state_inprogress.json";
import open from "../../../fixtures/events/session_state_open.json";
import { assertHoldsForAnyPayload, hostileEvent } from "../../../support/hostile.ts";

const dest: DiscordDestinationConfig = { type: "discord", webhook_url_secret: "DISCORD_URL", include_contact: false };

type Raw = Record<string, unknown> & { type: string; triggerId: string };
const format = (raw: Raw, d: DiscordDestinationConfig = dest, template?: Template) =>
  formatDiscord(viewEvent(raw), d, template);

const field = (name: string, value: string) => ({ name, value, inline: true });
const NO_PINGS = { parse: [] };

/** Discord's limits and shape rules; [] when the payload respects all of them. */
function violations(p: DiscordPayload): string[] {
  const bad: string[] = [];
  const check = (what: string, text: string, max: number) => {
    if (text.length < 1 || text.length > max) bad.push(`${what}: length ${text.length} not in 1..${max}`);
    if (!text.isWellFormed()) bad.push(`${what}: lone surrogate`);
  };
  check("content", p.content, DISCORD_LIMITS.content);
  if (p.embeds.length > DISCORD_LIMITS.embeds) bad.push(`${p.embeds.length} embeds`);
  if (JSON.stringify(p.allowed_mentions) !== '{"parse":[]}') bad.push("allowed_mentions");
  for (const [i, e] of p.embeds.entries()) {
    check(`embeds[${i}].title`, e.title, DISCORD_LIMITS.title);
    if (e.description !== undefined) check(`embeds[${i}].description`, e.description, DISCORD_LIMITS.description);
    check(`embeds[${i}].footer`, e.footer.text, DISCORD_LIMITS.footer);
    if (e.fields.length > DISCORD_LIMITS.fields) bad.push(`embeds[${i}]: ${e.fields.length} fields`);
    for (const f of e.fields) {
      check(`embeds[${i}] field name`, f.name, DISCORD_LIMITS.fieldName);
      check(`embeds[${i}] field value`, f.value, DISCORD_LIMITS.fieldValue);
    }
    if (embedLength(e) > DISCORD_LIMITS.total) bad.push(`embeds[${i}]: ${embedLength(e)} characters in total`);
    if (e.url !== undefined && !/^https?:\/\//.test(e.url)) bad.push(`embeds[${i}].url ${e.url}`);
  }
  // No live mention in any markdown text (the footer is plain text, never parsed).
  const markdown = [
    p.content,
    ...p.embeds.flatMap((e) => [e.title, e.description ?? "", ...e.fields.map((f) => f.value)]),
  ];
  for (const t of markdown) {
    if (/@(everyone|here)|<[@#/:!]|(?<!\\)\]\(/i.test(t)) bad.push(`live mention or link: ${t.slice(0, 80)}`);
  }
  return bad;
}

describe("formatDiscord: the four Gitple event types", () => {
  it("session_state_open", () => {
    expect(format(open)).toEqual({
      content: "Session opened",
      embeds: [
        {
          title: "Session opened",
          color: 0x3498db,
          fields: [
            field("Session", "5cc6bdfb8e1c2a0013f0a0f7"),
            field("User", "5cc6b9a28e1c2a0013f09e21"),
            field("Opened", "2019-04-29 08:57:15 UTC"),
            field("Categories", "5cc7c2000000000000000001"),
            field("Tags", "5cc7a1000000000000000003"),
            field("User groups", "5cc7e3000000000000000001"),
          ],
          footer: { text: "Gitple · session_state_open · trigger 5cc6bdfb8e1c2a0013f0a101 · acme-shop" },
          timestamp: "2019-04-29T08:57:15.880Z",
        },
      ],
      allowed_mentions: NO_PINGS,
    });
  });

  it("session_state_inprogress", () => {
    expect(format(inprogress)).toEqual({
      content: "Session assigned",
      embeds: [
        {
          title: "Session assigned",
          color: 0xf1c40f,
          fields: [
            field("Session", "5cc6bdfb8e1c2a0013f0a0f7"),
            field("User", "5cc6b9a28e1c2a0013f09e21"),
            field("Assignee", "agent 5c9b1f0e4d2a7b0012c3d4e5"),
            field("Opened", "2019-04-29 08:57:15 UTC"),
            field("In progress", "2019-04-29 08:57:15 UTC"),
            field("Categories", "5cc7c2000000000000000001"),
            field("Tags", "5cc7a1000000000000000003"),
            field("User groups", "5cc7e3000000000000000001"),
          ],
          footer: { text: "Gitple · session_state_inprogress · trigger 5cc6bdfb8e1c2a0013f0a102 · acme-shop" },
          timestamp: "2019-04-29T08:57:15.945Z",
        },
      ],
      allowed_mentions: NO_PINGS,
    });
  });

  it("session_state_close", () => {
    expect(format(close)).toEqual({
      content: "Session closed (userCancel)",
      embeds: [
        {
          title: "Session closed (userCancel)",
          description: "**Note**\n택배 분실로 환불 요청.\n주문번호 20190429-0012, 재발송 불가 안내함.",
          color: 0x2ecc71,
          fields: [
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
          ],
          footer: { text: "Gitple · session_state_close · trigger 5cc6c0048e1c2a0013f0a1c3 · acme-shop" },
          timestamp: "2019-04-29T09:05:56.001Z",
        },
      ],
      allowed_mentions: NO_PINGS,
    });
  });

  it("send_external_message", () => {
    expect(format(message)).toEqual({
      content: "Message from agent 5c9b1f0e4d2a7b0012c3d4e5",
      embeds: [
        {
          title: "Message from agent 5c9b1f0e4d2a7b0012c3d4e5",
          description: "**Message**\n물류팀 확인 부탁드립니다. 주문번호 20190429-0012 택배가 3일째 배송 중 상태입니다.",
          color: 0x9b59b6,
          fields: [
            field("From", "agent 5c9b1f0e4d2a7b0012c3d4e5"),
            field("To", "김민지"),
            field("To id", "user 5cc6b9a28e1c2a0013f09e21"),
          ],
          footer: { text: "Gitple · send_external_message · trigger 5cc6bf6a8e1c2a0013f0a150 · acme-shop" },
          timestamp: "2019-04-29T09:03:22.512Z",
        },
      ],
      allowed_mentions: NO_PINGS,
    });
  });

  it("an event with nothing but its ids: title, footer, no description, no time", () => {
    expect(format({ type: "session_state_snooze", triggerId: "t1", ctime: "yesterday" })).toEqual({
      content: "Gitple event: session\\_state\\_snooze",
      embeds: [
        {
          title: "Gitple event: session\\_state\\_snooze",
          color: 0x95a5a6,
          fields: [],
          footer: { text: "Gitple · session_state_snooze · trigger t1" },
        },
      ],
      allowed_mentions: NO_PINGS,
    });
  });

  it("adds email and phone only with include_contact", () => {
    expect(JSON.stringify(format(message))).not.toContain("minji.kim@example.com");
    const fields = format(message, { ...dest, include_contact: true }).embeds[0]?.fields;
    expect(fields?.slice(3)).toEqual([field("Email", "minji.kim@example.com"), field("Phone", "010-1234-5678")]);
  });
});

describe("formatDiscord: templates and the session link", () => {
  it("uses the template's title and text, escaping values only, and links the title", () => {
    const p = format(
      close,
      { ...dest, session_url: "https://console.gitple.io/s/{{session.id}}" },
      {
        title: "**Closed** {{session.id}}",
        text: "> {{session.reason}} by _{{session.assigneeId}}_\n{{session.tags}}",
      },
    );
    expect(p.content).toBe("**Closed** 5cc6bdfb8e1c2a0013f0a0f7");
    expect(p.embeds[0]).toEqual({
      title: "**Closed** 5cc6bdfb8e1c2a0013f0a0f7",
      url: "https://console.gitple.io/s/5cc6bdfb8e1c2a0013f0a0f7",
      description: "> userCancel by _5c9b1f0e4d2a7b0012c3d4e5_\n5cc7a1000000000000000003, 5cc7a1000000000000000002",
      color: 0x2ecc71,
      fields: [],
      footer: { text: "Gitple · session_state_close · trigger 5cc6c0048e1c2a0013f0a1c3 · acme-shop" },
      timestamp: "2019-04-29T09:05:56.001Z",
    });
    expect(violations(p)).toEqual([]);
  });

  it("escapes a value's markdown inside a template", () => {
    const p = format(
      { ...close, session: { ...close.session, reason: "**@everyone** [x](https://evil.example)" } },
      dest,
      {
        text: "Reason: {{session.reason}}",
      },
    );
    expect(p.embeds[0]?.description).toBe("Reason: \\*\\*@\u200beveryone\\*\\* \\[x\\](https://evil.example)");
  });

  it("leaves out a template text that renders empty, and a link that is not http(s)", () => {
    const p = format(open, { ...dest, session_url: "javascript:alert(1)" }, { text: "{{session.note}}" });
    expect(p.embeds[0]).not.toHaveProperty("description");
    expect(p.embeds[0]).not.toHaveProperty("url");
  });
});

describe("formatDiscord: hostile input", () => {
  it("neutralises mentions and markdown in every payload string", () => {
    const p = format(hostileEvent(), { ...dest, include_contact: true });
    expect(violations(p)).toEqual([]);
    expect(p.content).toBe("Message from agent <\u200b@U123\\> \\*\\*bold\\*\\*");
    const embed = p.embeds[0];
    expect(embed?.fields).toEqual([
      field("From", "agent <\u200b@U123\\> \\*\\*bold\\*\\*"),
      field("To", "<\u200b!channel\\> @\u200beveryone 김 \\*Email\\* fake@evil.example"),
      field("To id", "user @\u200bhere"),
      field("Email", "<\u200bmailto:x@y\\|x\\>"),
    ]);
    expect(embed?.description).toBe(
      [
        "**Message**",
        "<\u200b!here\\|here\\> & <\u200b/script\\>",
        "<\u200b@&123\\> <\u200b\\#456\\> \\[click\\](https://evil.example)",
        "\\# not a heading",
        "\\- not a list",
        "\\|\\|spoiler\\|\\| \\`code\\`",
      ].join("\n"),
    );
    expect(embed?.footer.text).toBe("Gitple · send_external_message · trigger <!here> · @everyone");
  });
});

describe("formatDiscord: limits", () => {
  it("cuts very long Korean text with … and keeps the embed within 6000 characters", () => {
    const note = "가나다라마바사".repeat(3000);
    const p = format({
      type: "session_state_close",
      triggerId: "t-ko",
      session: { note, reason: "긴사유".repeat(1000) },
    });
    expect(violations(p)).toEqual([]);
    const embed = p.embeds[0];
    expect(embed?.title).toHaveLength(DISCORD_LIMITS.title);
    expect(embed?.title.endsWith("…")).toBe(true);
    expect(embed?.description).toHaveLength(DISCORD_LIMITS.description);
    expect(embed?.description).toBe(`**Note**\n${note.slice(0, DISCORD_LIMITS.description - 10)}…`);
    expect(p.content).toHaveLength(DISCORD_LIMITS.content);
  });

  it("shrinks every value when the fields alone would pass 6000 characters", () => {
    const long = "가".repeat(3000);
    const p = format({
      type: "session_state_close",
      triggerId: "t-total",
      session: {
        id: long,
        userId: long,
        assigneeId: long,
        tags: [long],
        categories: [long],
        userGroups: [long],
        note: long,
      },
    });
    expect(violations(p)).toEqual([]);
    const embed = p.embeds[0];
    expect(embed && embedLength(embed)).toBeGreaterThan(3000);
    for (const f of embed?.fields ?? []) expect(f.value.length).toBeLessThan(DISCORD_LIMITS.fieldValue);
  });

  it("survives 100,000 tags", () => {
    const tags = Array.from({ length: 100_000 }, (_, i) => `태그-${i}`);
    const p = format({ type: "session_state_close", triggerId: "t-tags", session: { tags, categories: tags } });
    expect(violations(p)).toEqual([]);
    expect(p.embeds[0]?.fields.map((f) => f.name)).toEqual(["Categories", "Tags"]);
    expect(p.embeds[0]?.fields[0]?.value).toHaveLength(DISCORD_LIMITS.fieldValue);
  });

  it("keeps a huge template text and triggerId within the limits", () => {
    const p = format({ type: "x", triggerId: "t".repeat(256), appCode: "a".repeat(256) }, dest, {
      title: "{{triggerId}}".repeat(20),
      text: "{{triggerId}}\n".repeat(100),
    });
    expect(violations(p)).toEqual([]);
  });

  it("holds for any payload and template (property)", () => {
    assertHoldsForAnyPayload(
      (event, o) =>
        formatDiscord(event, { ...dest, include_contact: o.includeContact, session_url: o.sessionUrl }, o.template),
      violations,
    );
  });
});

describe("escapeDiscord", () => {
  it.each([
    ["plain 텍스트", "plain 텍스트"],
    [
      "**bold** _it_ ~~s~~ `c` ||sp|| > q # h",
      "\\*\\*bold\\*\\* \\_it\\_ \\~\\~s\\~\\~ \\`c\\` \\|\\|sp\\|\\| \\> q \\# h",
    ],
    ["a\\b", "a\\\\b"],
    ["[x](https://e.example)", "\\[x\\](https://e.example)"],
    ["@everyone @here @Everyone", "@\u200beveryone @\u200bhere @\u200bEveryone"],
    [
      "<@123> <@!1> <@&2> <#3> </cmd:4> <:e:5>",
      "<\u200b@123\\> <\u200b@!1\\> <\u200b@&2\\> <\u200b\\#3\\> <\u200b/cmd:4\\> <\u200b:e:5\\>",
    ],
    ["- item\n  + item\n1. first\n-# small", "\\- item\n  \\+ item\n1\\. first\n-\\# small"],
    ["a - b 1. c", "a - b 1. c"],
  ])("%j → %j", (input, expected) => {
    expect(escapeDiscord(input)).toBe(expected);
  });
});
