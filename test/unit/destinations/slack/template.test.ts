import { env } from "cloudflare:workers";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { SendContext } from "../../../../src/destinations/contract.ts";
import type { SlackDestinationConfig } from "../../../../src/destinations/slack/config.ts";
import { formatSlack, SLACK_LIMITS, type SlackPayload } from "../../../../src/destinations/slack/format.ts";
import { slackKind } from "../../../../src/destinations/slack/index.ts";
import { viewEvent } from "../../../../src/event/view.ts";
import { PLACEHOLDERS } from "../../../../src/format/template.ts";
import { validateRouting } from "../../../../src/routing/load.ts";
import type { Template } from "../../../../src/routing/types.ts";
import message from "../../../fixtures/events/send_external_message.json";
import close from "../../../fixtures/events/session_state_close.json";
import inprogress from "../../../fixtures/events/session_state_inprogress.json";
import open from "../../../fixtures/events/session_state_open.json";

const sendSlack = slackKind.deliver;

type Raw = Record<string, unknown> & { type: string; triggerId: string };
const dest: SlackDestinationConfig = { type: "slack", webhook_url_secret: "SLACK_URL", include_contact: false };
const md = (text: string) => ({ type: "mrkdwn", text, verbatim: true });
const header = (text: string) => ({ type: "header", text: { type: "plain_text", text } });
const footer = (text: string) => ({ type: "context", elements: [md(text)] });
const button = (url: string) => ({
  type: "actions",
  elements: [{ type: "button", text: { type: "plain_text", text: "Open in Gitple" }, url }],
});
const format = (raw: Raw, template?: Template, d: SlackDestinationConfig = dest) =>
  formatSlack(viewEvent(raw), d, { template });

const TEMPLATE: Template = {
  title: "{{type}}: {{session.id}}{{to.name}}",
  text: "*Reason:* {{session.reason}} · *Duration:* {{duration}}\n*Tags:* {{session.tags}}{{to.tags}}\n{{session.note}}{{message.content}}",
};

/** Every mrkdwn text is escaped (no raw `<`/`>`, every `&` an entity) or is the template's own markup. */
function entitiesIntact(p: SlackPayload): boolean {
  const texts = [p.text];
  for (const b of p.blocks) if (b.type === "section" && "text" in b) texts.push(b.text.text);
  return texts.every((t) => !/&(?!amp;|lt;|gt;)[a-z]{0,3}…?$/.test(t));
}

describe("formatSlack with a template: the four Gitple event types", () => {
  it.each<[string, Raw, SlackPayload]>([
    [
      "session_state_open",
      open,
      {
        text: "session_state_open: 5cc6bdfb8e1c2a0013f0a0f7: *Reason:* · *Duration:* *Tags:* 5cc7a1000000000000000003",
        blocks: [
          header("session_state_open: 5cc6bdfb8e1c2a0013f0a0f7"),
          { type: "section", text: md("*Reason:*  · *Duration:* \n*Tags:* 5cc7a1000000000000000003") },
          footer("Gitple · session_state_open · trigger 5cc6bdfb8e1c2a0013f0a101 · acme-shop"),
        ],
      } as SlackPayload,
    ],
    [
      "session_state_inprogress",
      inprogress,
      {
        text: "session_state_inprogress: 5cc6bdfb8e1c2a0013f0a0f7: *Reason:* · *Duration:* *Tags:* 5cc7a1000000000000000003",
        blocks: [
          header("session_state_inprogress: 5cc6bdfb8e1c2a0013f0a0f7"),
          { type: "section", text: md("*Reason:*  · *Duration:* \n*Tags:* 5cc7a1000000000000000003") },
          footer("Gitple · session_state_inprogress · trigger 5cc6bdfb8e1c2a0013f0a102 · acme-shop"),
        ],
      } as SlackPayload,
    ],
    [
      "session_state_close",
      close,
      {
        text: "session_state_close: 5cc6bdfb8e1c2a0013f0a0f7: *Reason:* userCancel · *Duration:* 8m 40s *Tags:* 5cc7a1000000000000000003, 5cc7a1000000000000000002 택배 분실로 환불 요청. 주문번호 20190429-0012, 재발송 불가 안내함.",
        blocks: [
          header("session_state_close: 5cc6bdfb8e1c2a0013f0a0f7"),
          {
            type: "section",
            text: md(
              "*Reason:* userCancel · *Duration:* 8m 40s\n*Tags:* 5cc7a1000000000000000003, 5cc7a1000000000000000002\n택배 분실로 환불 요청.\n주문번호 20190429-0012, 재발송 불가 안내함.",
            ),
          },
          footer("Gitple · session_state_close · trigger 5cc6c0048e1c2a0013f0a1c3 · acme-shop"),
        ],
      } as SlackPayload,
    ],
    [
      "send_external_message",
      message,
      {
        text: "send_external_message: 김민지: *Reason:* · *Duration:* *Tags:* 5cc7f4000000000000000001 물류팀 확인 부탁드립니다. 주문번호 20190429-0012 택배가 3일째 배송 중 상태입니다.",
        blocks: [
          header("send_external_message: 김민지"),
          {
            type: "section",
            text: md(
              "*Reason:*  · *Duration:* \n*Tags:* 5cc7f4000000000000000001\n물류팀 확인 부탁드립니다. 주문번호 20190429-0012 택배가 3일째 배송 중 상태입니다.",
            ),
          },
          footer("Gitple · send_external_message · trigger 5cc6bf6a8e1c2a0013f0a150 · acme-shop"),
        ],
      } as SlackPayload,
    ],
  ])("%s", (_, raw, expected) => {
    expect(format(raw, TEMPLATE)).toEqual(expected);
  });

  it("replaces only the part it sets", () => {
    const builtIn = format(close);
    const titleOnly = format(close, { title: "Closed {{session.id}}" });
    expect(titleOnly.blocks[0]).toEqual(header("Closed 5cc6bdfb8e1c2a0013f0a0f7"));
    expect(titleOnly.blocks.slice(1)).toEqual(builtIn.blocks.slice(1));
    const textOnly = format(close, { text: "{{session.reason}}" });
    expect(textOnly.blocks).toEqual([
      builtIn.blocks[0],
      { type: "section", text: md("userCancel") },
      builtIn.blocks.at(-1),
    ]);
    expect(textOnly.text).toBe("Session closed (userCancel): userCancel");
  });

  it("leaves the body out when the text renders empty, and keeps the built-in title when the title does", () => {
    const p = format(open, { title: "{{session.reason}}", text: "{{session.note}}" });
    expect(p).toEqual({
      text: "Session opened",
      blocks: [
        header("Session opened"),
        footer("Gitple · session_state_open · trigger 5cc6bdfb8e1c2a0013f0a101 · acme-shop"),
      ],
    });
  });

  it("shows to.email and to.phone only with include_contact", () => {
    const t = { text: "{{to.email}} {{to.phone}}" };
    // Without contact details the text renders blank: no body at all.
    expect(format(message, t).blocks.map((b) => b.type)).toEqual(["header", "context"]);
    expect(format(message, t, { ...dest, include_contact: true }).blocks[1]).toEqual({
      type: "section",
      text: md("minji.kim@example.com 010-1234-5678"),
    });
  });
});

describe("formatSlack with a template: hostile input", () => {
  const hostile: Raw = {
    type: "send_external_message",
    triggerId: "<!here>",
    appCode: "@everyone",
    from: { type: "agent", id: "<@U123>" },
    to: { name: "<!channel> 김\r\n*Email*\r\nfake@evil.example", tags: ["a&b"] },
    message: { content: "@everyone </script> <https://evil.example|click> &amp;" },
  };

  it("escapes values, keeps the operator's mrkdwn and links, and keeps the title plain", () => {
    const p = format(hostile, {
      title: "From {{to.name}}",
      text: "<https://console.gitple.io|Console> *{{to.name}}* ({{to.tags}}): {{message.content}}",
    });
    expect(p).toEqual({
      text: "From &lt;!channel&gt; 김 *Email* fake@evil.example: <https://console.gitple.io|Console> *&lt;!channel&gt; 김 *Email* fake@evil.example* (a&amp;b): @everyone &lt;/script&gt; &lt;https://evil.example|click&gt; &amp;amp;",
      blocks: [
        header("From <!channel> 김 *Email* fake@evil.example"),
        {
          type: "section",
          text: md(
            "<https://console.gitple.io|Console> *&lt;!channel&gt; 김 *Email* fake@evil.example* (a&amp;b): @everyone &lt;/script&gt; &lt;https://evil.example|click&gt; &amp;amp;",
          ),
        },
        footer("Gitple · send_external_message · trigger &lt;!here&gt; · @everyone"),
      ],
    });
  });
});

describe("formatSlack with a template: limits", () => {
  it("cuts a long Korean text to 3000 and a long title to 150, never inside an entity", () => {
    for (const note of ["가나다라마바사".repeat(2000), `${"가".repeat(2990)}${"<".repeat(100)}`, "&".repeat(5000)]) {
      const p = format(
        { type: "session_state_close", triggerId: "t", session: { note, reason: "긴사유".repeat(100) } },
        { title: "{{session.reason}}", text: "*Note* {{session.note}}" },
      );
      const [head, section] = p.blocks;
      const text = section?.type === "section" && "text" in section ? section.text.text : "";
      // At most the limit; a cut that would halve an entity moves before it.
      expect(text.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
      expect(text.length).toBeGreaterThan(SLACK_LIMITS.sectionText - 5);
      expect(text.endsWith("…")).toBe(true);
      expect(head?.type === "header" && head.text.text.length).toBe(SLACK_LIMITS.headerText);
      expect(p.text.length).toBeLessThanOrEqual(SLACK_LIMITS.text);
      expect(entitiesIntact(p)).toBe(true);
    }
  });
});

describe("formatSlack with a template: any template, any payload (property)", () => {
  it("stays within Slack's limits, never splits a character, never leaves a payload `<` unescaped", () => {
    const piece = fc.oneof(
      fc.constantFrom(...PLACEHOLDERS.map((p) => `{{${p}}}`)),
      fc.constantFrom("*bold* ", "<https://x.example|link> ", "\n", " · ", "&amp;", "가"),
      fc.string({ maxLength: 20 }),
    );
    const template = fc.record(
      {
        title: fc.array(piece, { maxLength: 8 }).map((p) => p.join("")),
        text: fc.array(piece, { maxLength: 30 }).map((p) => p.join("")),
      },
      { requiredKeys: [] },
    );
    const value = fc.oneof(
      fc.string({ unit: "binary", maxLength: 40 }),
      fc.constantFrom("<!channel>", "@everyone", "</script>", "\r\n", "&"),
      fc.string({ unit: "binary", minLength: 2990, maxLength: 3100 }),
    );
    const raw = fc.record({
      type: fc.constantFrom("session_state_close", "send_external_message"),
      triggerId: fc.string({ minLength: 1, maxLength: 30 }),
      session: fc.dictionary(fc.constantFrom("id", "reason", "note", "userId"), value),
      to: fc.dictionary(fc.constantFrom("id", "name", "email"), value),
      message: fc.dictionary(fc.constantFrom("content"), value),
    });
    fc.assert(
      fc.property(raw, template, (r, t) => {
        fc.pre(JSON.stringify(r).isWellFormed());
        const p = format(r as Raw, t, { ...dest, include_contact: true });
        expect(p.text.length).toBeLessThanOrEqual(SLACK_LIMITS.text);
        for (const b of p.blocks) {
          if (b.type === "header") expect(b.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.headerText);
          if (b.type === "section" && "text" in b) {
            expect(b.text.text.length).toBeGreaterThan(0);
            expect(b.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
            expect(b.text.text.isWellFormed()).toBe(true);
          }
        }
        // Only the template's own markup may hold `<`: with no `<` in the template, none may appear.
        if (!`${t.title ?? ""}${t.text ?? ""}`.includes("<")) {
          for (const b of p.blocks) if (b.type === "section" && "text" in b) expect(b.text.text).not.toContain("<");
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe("formatSlack: session_url as a link template", () => {
  const withUrl = (session_url: string): SlackDestinationConfig => ({ ...dest, session_url });

  it("URL-encodes the values into the Open in Gitple button", () => {
    const p = format(
      close,
      undefined,
      withUrl("https://console.gitple.io/{{appCode}}/sessions/{{session.id}}?t={{type}}"),
    );
    expect(p.blocks.at(-2)).toEqual(
      button("https://console.gitple.io/acme-shop/sessions/5cc6bdfb8e1c2a0013f0a0f7?t=session_state_close"),
    );
    const odd = format(
      { type: "x", triggerId: "t", session: { id: "a/b?c#d 김" } },
      undefined,
      withUrl("https://c.example/s/{{session.id}}"),
    );
    expect(odd.blocks.at(-2)).toEqual(button("https://c.example/s/a%2Fb%3Fc%23d%20%EA%B9%80"));
  });

  it.each([
    ["a value that would make the scheme", "{{session.id}}", { id: "javascript:alert(1)" }],
    ["a javascript: template", "javascript:alert('{{session.id}}')", { id: "1" }],
    ["a missing value", "https://c.example/s/{{session.id}}", {}],
  ])("shows no button for %s", (_, url, session) => {
    const p = format({ type: "session_state_close", triggerId: "t", session }, undefined, withUrl(url));
    expect(p.blocks.some((b) => b.type === "actions")).toBe(false);
  });
});

describe("sendSlack applies the template the delivery's rules pick", () => {
  it("posts the first matched rule's template", async () => {
    const base = (env as unknown as Record<string, string>).TEST_RECEIVER;
    const config = validateRouting(
      {
        destinations: { ops: { type: "slack", webhook_url_secret: "SLACK_T", template: { title: "dest title" } } },
        rules: [
          { name: "a", destinations: ["ops"] },
          { name: "b", destinations: ["ops"], template: { title: "rule b: {{session.id}}" } },
        ],
      },
      () => "set",
    );
    if (!config.ok) throw new Error(config.error.join("; "));
    const triggerId = `tpl-${crypto.randomUUID()}`;
    const event = viewEvent({ type: "session_state_close", triggerId, session: { id: "s-9" } });
    const ctx: SendContext = {
      event,
      raw: JSON.stringify(event),
      destination: "ops",
      rules: ["a", "b"],
      config: config.value,
      secret: (name) => (name === "SLACK_T" ? `${base}/hook/template` : undefined),
      env: env as Env,
      timeoutMs: 5000,
    };
    expect(await sendSlack(config.value.destinations.ops as SlackDestinationConfig, ctx)).toEqual({
      ok: true,
      status: 200,
    });
    const got = (await (await fetch(`${base}/__received?match=${triggerId}`)).json()) as { body: string }[];
    expect(got).toHaveLength(1);
    expect(JSON.parse(got[0]?.body ?? "{}").blocks[0]).toEqual(header("rule b: s-9"));
  });
});
