import { describe, expect, it } from "vitest";
import templatesDoc from "../../../docs/templates.md?raw";
import { escapeHtml } from "../../../src/destinations/email/format.ts";
import { escapeMrkdwn } from "../../../src/destinations/slack/escape.ts";
import { viewEvent } from "../../../src/event/view.ts";
import {
  PLACEHOLDERS,
  type Placeholder,
  pickTemplate,
  renderLink,
  renderParts,
  renderTemplate,
  renderTitle,
  type TemplateValues,
  templateValues,
  unknownPlaceholders,
} from "../../../src/format/template.ts";
import { validateRouting } from "../../../src/routing/load.ts";
import { route } from "../../../src/routing/match.ts";
import type { RoutingConfig } from "../../../src/routing/types.ts";
import message from "../../fixtures/events/send_external_message.json";
import close from "../../fixtures/events/session_state_close.json";
import inprogress from "../../fixtures/events/session_state_inprogress.json";
import open from "../../fixtures/events/session_state_open.json";
import { GROUP, USER_TAG } from "../../support/ids.ts";

type Raw = Record<string, unknown> & { type: string; triggerId: string };
const BLANK = Object.fromEntries(PLACEHOLDERS.map((p) => [p, ""])) as Record<Placeholder, string>;
const values = (raw: Raw, includeContact = false): TemplateValues => templateValues(viewEvent(raw), { includeContact });

const SESSION = {
  "session.id": "5cc6bdfb8e1c2a0013f0a0f7",
  "session.userId": "5cc6b9a28e1c2a0013f09e21",
  "session.openTime": "2019-04-29T08:57:15.878Z",
  "session.tags": "5cc7a1000000000000000003",
  "session.categories": "5cc7c2000000000000000001",
  "session.userGroups": "5cc7e3000000000000000001",
};
const ASSIGNED = {
  "session.assigneeType": "agent",
  "session.assigneeId": "5c9b1f0e4d2a7b0012c3d4e5",
  "session.inprogressTime": "2019-04-29T08:57:15.943Z",
};

/** Issue 10's placeholders without names: the id lists as the lists, the customer from `to`, meta by key. */
function withoutNames(e: Partial<Record<Placeholder, string>>, raw: Raw): Record<string, string> {
  const to = (raw.to ?? {}) as Record<string, unknown>;
  const meta = (to.meta ?? {}) as Record<string, string>;
  const pick = (k: Placeholder) => (e[k] === undefined ? {} : { [k]: e[k] });
  const as = (k: Placeholder, from: Placeholder) => (e[from] === undefined ? {} : { [k]: e[from] });
  return {
    ...as("session.tagIds", "session.tags"),
    ...as("session.categoryIds", "session.categories"),
    ...as("session.userGroupIds", "session.userGroups"),
    ...as("to.tagIds", "to.tags"),
    ...as("to.groupIds", "to.groups"),
    ...as("user.name", "to.name"),
    ...as("user.email", "to.email"),
    ...as("user.phone", "to.phone"),
    ...pick("to.name"),
    ...(typeof to.identifier === "string" && { "user.identifier": to.identifier }),
    ...(typeof to.lang === "string" && { "user.lang": to.lang }),
    ...Object.fromEntries(Object.entries(meta).map(([k, v]) => [`user.meta.${k}`, v])),
  };
}

describe("templateValues: every placeholder, from the four sample events", () => {
  it.each<[string, Raw, Partial<Record<Placeholder, string>>]>([
    [
      "session_state_open",
      open,
      {
        type: "session_state_open",
        triggerId: "5cc6bdfb8e1c2a0013f0a101",
        appCode: "acme-shop",
        ctime: "2019-04-29T08:57:15.880Z",
        ...SESSION,
      },
    ],
    [
      "session_state_inprogress",
      inprogress,
      {
        type: "session_state_inprogress",
        triggerId: "5cc6bdfb8e1c2a0013f0a102",
        appCode: "acme-shop",
        ctime: "2019-04-29T08:57:15.945Z",
        ...SESSION,
        ...ASSIGNED,
      },
    ],
    [
      "session_state_close",
      close,
      {
        type: "session_state_close",
        triggerId: "5cc6c0048e1c2a0013f0a1c3",
        appCode: "acme-shop",
        ctime: "2019-04-29T09:05:56.001Z",
        duration: "8m 40s",
        ...SESSION,
        ...ASSIGNED,
        "session.reason": "userCancel",
        "session.note": "택배 분실로 환불 요청.\n주문번호 20190429-0012, 재발송 불가 안내함.",
        "session.closeTime": "2019-04-29T09:05:56.000Z",
        "session.tags": "5cc7a1000000000000000003, 5cc7a1000000000000000002",
        "session.categories": "5cc7c2000000000000000001, 5cc7c2000000000000000005",
      },
    ],
    [
      "send_external_message",
      message,
      {
        type: "send_external_message",
        triggerId: "5cc6bf6a8e1c2a0013f0a150",
        appCode: "acme-shop",
        ctime: "2019-04-29T09:03:22.512Z",
        "from.type": "agent",
        "from.id": "5c9b1f0e4d2a7b0012c3d4e5",
        "to.id": "5cc6b9a28e1c2a0013f09e21",
        "to.name": "김민지",
        "to.tags": "5cc7f4000000000000000001",
        "to.groups": "5cc7e3000000000000000001",
        "to.email": "minji.kim@example.com",
        "to.phone": "010-1234-5678",
        "message.content": "물류팀 확인 부탁드립니다. 주문번호 20190429-0012 택배가 3일째 배송 중 상태입니다.",
      },
    ],
  ])("%s (include_contact = true)", (_, raw, expected) => {
    // Every key present, in PLACEHOLDERS order (then the customer's meta); absent values (null in the sample, or missing) are "".
    const got = values(raw, true);
    expect(Object.keys(got).filter((k) => !k.startsWith("user.meta."))).toEqual([...PLACEHOLDERS]);
    expect(got).toEqual({ ...BLANK, ...expected, ...withoutNames(expected, raw) });
  });

  it("leaves to.email and to.phone empty unless the destination includes contact", () => {
    expect(values(message, false)).toEqual({
      ...values(message, true),
      "to.email": "",
      "to.phone": "",
      "user.email": "",
      "user.phone": "",
    });
  });

  it("joins lists with ', ', flattening items and dropping blank ones", () => {
    const v = values({
      type: "x",
      triggerId: "t",
      session: { tags: ["a", " ", "b\r\nc", 7, null], categories: "single", userGroups: [] },
      to: { tags: [USER_TAG.returning], groups: [GROUP.premium, GROUP.business] },
    });
    expect(v["session.tags"]).toBe("a, b c, 7");
    expect(v["session.categories"]).toBe("single");
    expect(v["session.userGroups"]).toBe("");
    expect(v["to.tags"]).toBe(USER_TAG.returning);
    expect(v["to.groups"]).toBe(`${GROUP.premium}, ${GROUP.business}`);
  });

  it("keeps single-line values on one line, free text with its line breaks", () => {
    const v = values(
      {
        type: "send_external_message",
        triggerId: "t\r\n1",
        to: { name: "Kim\r\n*Email*\nfake@evil.example", email: "a@b.c\u0000", phone: "010\t1" },
        message: { content: "line 1\r\nline 2\rline 3\u0007" },
        session: { note: "  note\r\n\r\nmore  " },
      },
      true,
    );
    expect(v.triggerId).toBe("t 1");
    expect(v["to.name"]).toBe("Kim *Email* fake@evil.example");
    expect(v["to.email"]).toBe("a@b.c");
    expect(v["to.phone"]).toBe("010 1");
    expect(v["message.content"]).toBe("line 1\nline 2\nline 3");
    expect(v["session.note"]).toBe("note\n\nmore");
  });

  it("renders a missing value, and a duration it cannot compute, as empty", () => {
    expect(values({ type: "x", triggerId: "t" })).toEqual({ ...BLANK, type: "x", triggerId: "t" });
    const backwards = {
      type: "x",
      triggerId: "t",
      session: { openTime: "2019-04-29T09:00:00Z", closeTime: "yesterday" },
    };
    expect(values(backwards).duration).toBe("");
    expect(values(backwards)["session.closeTime"]).toBe("yesterday");
  });
});

describe("renderTemplate", () => {
  const v = values(close);

  it("replaces every placeholder, with or without spaces inside the braces", () => {
    expect(renderTemplate("{{session.id}} / {{ session.reason }} / {{  duration}}", v, (s) => s)).toBe(
      "5cc6bdfb8e1c2a0013f0a0f7 / userCancel / 8m 40s",
    );
  });

  it("renders every placeholder of PLACEHOLDERS (none is forgotten)", () => {
    const all = PLACEHOLDERS.map((p) => `${p}=[{{${p}}}]`).join("\n");
    const marked = Object.fromEntries(PLACEHOLDERS.map((p) => [p, `<${p}>`])) as TemplateValues;
    expect(renderTemplate(all, marked, (s) => s)).toBe(PLACEHOLDERS.map((p) => `${p}=[<${p}>]`).join("\n"));
  });

  it("escapes the values and keeps the operator's markup", () => {
    const hostile = values({
      type: "send_external_message",
      triggerId: "t",
      to: { name: "<script>alert(1)</script>" },
      message: { content: "<!channel> & @everyone" },
    });
    const template = "<b>{{to.name}}</b> wrote: <i>{{message.content}}</i> &amp;";
    expect(renderTemplate(template, hostile, escapeHtml)).toBe(
      "<b>&lt;script&gt;alert(1)&lt;/script&gt;</b> wrote: <i>&lt;!channel&gt; &amp; @everyone</i> &amp;",
    );
    expect(renderTemplate("*{{to.name}}* <https://x.example|link>", hostile, escapeMrkdwn)).toBe(
      "*&lt;script&gt;alert(1)&lt;/script&gt;* <https://x.example|link>",
    );
  });

  it("substitutes once: a value that looks like a placeholder or a replace pattern stays literal", () => {
    const v2 = values({
      type: "x",
      triggerId: "secret-trigger",
      to: { name: "{{triggerId}}" },
      session: { note: "$& $1 $$ $`" },
    });
    expect(renderTemplate("{{to.name}} {{session.note}}", v2, (s) => s)).toBe("{{triggerId}} $& $1 $$ $`");
  });

  it("leaves text that is not a placeholder alone, and renders an unknown one empty (validation rejects it)", () => {
    expect(renderTemplate("{type} {{type} { {type} } {{{type}}}", v, (s) => s)).toBe(
      "{type} {{type} { {type} } {session_state_close}",
    );
    expect(renderTemplate("a{{session.agent}}b", v, (s) => s)).toBe("ab");
  });
});

describe("renderTitle and renderLink", () => {
  it("flattens a title onto one line", () => {
    const v = values({ type: "x", triggerId: "t", to: { name: "김\r\nBcc: x" }, session: { note: "a\nb" } });
    expect(renderTitle("New:\n{{to.name}} — {{session.note}}", v)).toBe("New: 김 Bcc: x — a b");
    expect(renderTitle("<{{to.name}}>", v, escapeHtml)).toBe("<김 Bcc: x>");
  });

  const v = values({ type: "x", triggerId: "t/1?a=b#c", appCode: "앱", session: { id: "javascript:alert(1)" } });

  it.each<[string, string | undefined, string | undefined]>([
    ["no placeholder", "https://console.gitple.io/", "https://console.gitple.io/"],
    [
      "values URL-encoded",
      "https://console.gitple.io/{{appCode}}/s?t={{triggerId}}",
      "https://console.gitple.io/%EC%95%B1/s?t=t%2F1%3Fa%3Db%23c",
    ],
    ["http allowed", "http://127.0.0.1:8080/{{type}}", "http://127.0.0.1:8080/x"],
    ["javascript: refused", "javascript:alert({{type}})", undefined],
    ["a placeholder without a value for this event", "https://console.gitple.io/s/{{session.note}}", undefined],
    ["a value cannot make the scheme", "{{session.id}}", undefined],
    ["relative refused", "/sessions/{{type}}", undefined],
    ["garbage refused", "not a url", undefined],
    ["empty refused", "", undefined],
    ["absent", undefined, undefined],
  ])("%s", (_, link, expected) => {
    expect(renderLink(link, v)).toBe(expected);
  });

  it("survives a lone surrogate in a value", () => {
    const broken = values({ type: "x", triggerId: "t", session: { id: "a\ud800b" } });
    expect(renderLink("https://x.example/{{session.id}}", broken)).toBe("https://x.example/a%EF%BF%BDb");
  });
});

describe("renderParts", () => {
  const view = viewEvent(close);
  const dest = { include_contact: false, session_url: "https://console.gitple.io/s/{{session.id}}" };

  it("renders title, text and link, leaving absent parts to the built-in format", () => {
    expect(
      renderParts(view, dest, { title: "Closed {{session.id}}", text: "<{{session.reason}}>" }, { text: escapeHtml }),
    ).toEqual({
      title: "Closed 5cc6bdfb8e1c2a0013f0a0f7",
      text: "<userCancel>",
      link: "https://console.gitple.io/s/5cc6bdfb8e1c2a0013f0a0f7",
    });
    expect(renderParts(view, { include_contact: false }, undefined, { text: escapeHtml })).toEqual({});
    expect(renderParts(view, { include_contact: false }, { text: "x" }, { text: escapeHtml })).toEqual({ text: "x" });
  });

  it("drops a title that renders blank, keeps a text that does as '' (no body), drops a link missing a value", () => {
    const quiet = viewEvent({ type: "session_state_open", triggerId: "t" });
    const template = { title: " {{session.reason}} ", text: "{{session.note}}\n" };
    expect(renderParts(quiet, dest, template, { text: (s) => s })).toEqual({ text: "" });
  });

  it("escapes the title only with a title escape", () => {
    const hostile = viewEvent({ type: "x", triggerId: "t", session: { reason: "<b>" } });
    const template = { title: "{{session.reason}}" };
    expect(renderParts(hostile, dest, template, { text: escapeHtml }).title).toBe("<b>");
    expect(renderParts(hostile, dest, template, { title: escapeHtml, text: escapeHtml }).title).toBe("&lt;b&gt;");
  });

  it("gates contact details by the destination's include_contact", () => {
    const view2 = viewEvent(message);
    const template = { text: "{{to.email}}|{{to.phone}}" };
    expect(renderParts(view2, { include_contact: false }, template, { text: (s) => s }).text).toBe("|");
    expect(renderParts(view2, { include_contact: true }, template, { text: (s) => s }).text).toBe(
      "minji.kim@example.com|010-1234-5678",
    );
  });
});

describe("unknown placeholders are config errors (validateRouting)", () => {
  const secrets = () => "set";
  const slack = { type: "slack", webhook_url_secret: "OPS_URL" };
  const mail = { type: "email", from: "relay@example.com", to: ["ops@example.com"] };
  const config = (extra: { destination?: Record<string, unknown>; rule?: Record<string, unknown> }) => ({
    destinations: { ops: { ...slack, ...extra.destination }, mail },
    rules: [{ name: "r", destinations: ["ops"], ...extra.rule }],
  });

  it.each<[string, Record<string, unknown>, string[]]>([
    [
      "in a rule's template text",
      config({ rule: { template: { text: "Closed by {{session.agent}}" } } }),
      ["rules[0].template.text: unknown placeholder {{session.agent}}"],
    ],
    [
      "in a rule's template title, names are case-sensitive",
      config({ rule: { template: { title: "{{Type}}" } } }),
      ["rules[0].template.title: unknown placeholder {{Type}}"],
    ],
    [
      "several in one text, as written",
      config({ rule: { template: { text: "{{a}} {{ to.mail }} {{}}" } } }),
      [
        "rules[0].template.text: unknown placeholder {{a}}",
        "rules[0].template.text: unknown placeholder {{ to.mail }}",
        "rules[0].template.text: unknown placeholder {{}}",
      ],
    ],
    [
      "in a destination's template",
      config({ destination: { template: { title: "{{session.agentName}}", text: "{{message.html}}" } } }),
      [
        "destinations.ops.template.title: unknown placeholder {{session.agentName}}",
        "destinations.ops.template.text: unknown placeholder {{message.html}}",
      ],
    ],
    [
      "in a session_url",
      config({ destination: { session_url: "https://console.gitple.io/{{session}}" } }),
      ["destinations.ops.session_url: unknown placeholder {{session}}"],
    ],
    [
      "in an email subject",
      { destinations: { mail: { ...mail, subject: "[Gitple] {{session.title}}" } }, fallback: ["mail"] },
      ["destinations.mail.subject: unknown placeholder {{session.title}}"],
    ],
  ])("%s", (_, input, problems) => {
    expect(validateRouting(input, secrets)).toEqual({ ok: false, error: problems });
  });

  it("accepts every known placeholder, spaced or not, and braces that are not placeholders", () => {
    const text = `${PLACEHOLDERS.map((p) => `{{${p}}} {{ ${p} }}`).join(" ")} {single} {{type} {{{type}}}`;
    const input = config({
      rule: { template: { title: text, text } },
      destination: { session_url: `https://x/${text}` },
    });
    expect(validateRouting(input, secrets).ok).toBe(true);
    expect(unknownPlaceholders(text)).toEqual([]);
  });
});

describe("which template applies", () => {
  const validated = validateRouting(
    {
      fallback: ["d"],
      destinations: {
        d: { type: "slack", webhook_url_secret: "D", template: { title: "destination's" } },
        e: { type: "slack", webhook_url_secret: "E" },
      },
      rules: [
        { name: "plain", tags: { any: ["a"] }, destinations: ["d", "e"] },
        { name: "first", tags: { any: ["b"] }, destinations: ["d"], template: { title: "first's" } },
        { name: "second", tags: { any: ["c"] }, destinations: ["d", "e"], template: { text: "second's" } },
        { name: "elsewhere", tags: { any: ["x"] }, destinations: ["e"], template: { title: "elsewhere's" } },
      ],
    },
    () => "set",
  );
  if (!validated.ok) throw new Error(validated.error.join("; "));
  const config: RoutingConfig = validated.value;

  /** The template each destination gets for an event with these tags, through the real router. */
  function applied(tags: string[]): Record<string, unknown> {
    const decision = route(config, viewEvent({ type: "session_state_close", triggerId: "t", session: { tags } }));
    return Object.fromEntries(decision.destinations.map((d) => [d.name, pickTemplate(config, d.name, d.rules)]));
  }

  it.each<[string, string[], Record<string, unknown>]>([
    ["the first matched rule with a template", ["a", "b", "c"], { d: { title: "first's" }, e: { text: "second's" } }],
    ["a later rule when the earlier one has none", ["a", "c"], { d: { text: "second's" }, e: { text: "second's" } }],
    ["the destination's when no matched rule has one", ["a"], { d: { title: "destination's" }, e: undefined }],
    ["the destination's for the fallback", ["none"], { d: { title: "destination's" } }],
    [
      "only rules that sent it to that destination",
      ["b", "x"],
      { d: { title: "first's" }, e: { title: "elsewhere's" } },
    ],
  ])("%s", (_, tags, expected) => {
    expect(applied(tags)).toEqual(expected);
  });

  it("takes the rules in the delivery's order", () => {
    expect(pickTemplate(config, "d", ["second", "first"])).toEqual({ text: "second's" });
    expect(pickTemplate(config, "d", ["no such rule"])).toEqual({ title: "destination's" });
  });
});

describe("docs/templates.md", () => {
  it("documents exactly the placeholders the code knows", () => {
    const listed = [...templatesDoc.matchAll(/`\{\{([a-zA-Z.]+)\}\}`/g)].map((m) => m[1]);
    expect(new Set(listed)).toEqual(new Set(PLACEHOLDERS));
  });
});
