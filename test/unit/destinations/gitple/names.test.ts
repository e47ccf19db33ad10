// Issue 10, messages by name: every kind shows the names the event's ids resolve to (against the
// real Open API stand-in), categories as their path from the root, the customer and the assignee by
// name, the ids in a compact line; without names, ids as before. Times in the configured zone; the
// new placeholders; hostile names escaped per kind.
import { describe, expect, it } from "vitest";
import { escapeDiscord } from "../../../../src/destinations/discord/escape.ts";
import { escapeChatHtml } from "../../../../src/destinations/google-chat/escape.ts";
import type { DestinationConfig } from "../../../../src/destinations/registry.ts";
import { render, sendTo } from "../../../../src/destinations/registry.ts";
import { escapeMrkdwn } from "../../../../src/destinations/slack/escape.ts";
import { escapeTeams } from "../../../../src/destinations/teams/escape.ts";
import { viewEvent } from "../../../../src/event/view.ts";
import { templateValues } from "../../../../src/format/template.ts";
import type { Resolution } from "../../../../src/gitple/resolve.ts";
import { validateRouting } from "../../../../src/routing/load.ts";
import { workspace } from "../../gitple/stand-in.ts";
import { base, closeEvent, context, I, kinds, messageEvent, namesFor, received } from "./support.ts";

const EMAIL = {
  type: "email",
  provider: "cloudflare",
  binding: "EMAIL",
  from: "relay@example.com",
  to: ["ops@example.com"],
  include_contact: false,
} as unknown as DestinationConfig;

const ALL: Record<string, DestinationConfig> = { ...kinds(), email: EMAIL };
/** The kinds that show wording (the webhook posts data: its envelope is tested on its own). */
const SHOWN = Object.keys(ALL).filter((k) => k !== "webhook");
const CHAT = Object.entries(kinds()).filter(([k]) => k !== "webhook");

/** What a destination shows: the posted/rendered body, JSON-decoded strings joined, so escapes of JSON do not hide text. */
function shown(body: string): string {
  const out: string[] = [];
  const walk = (v: unknown) => {
    if (typeof v === "string") out.push(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === "object") Object.values(v).forEach(walk);
  };
  walk(JSON.parse(body));
  return out.join("\n");
}

describe("names in every kind (against the stand-in)", () => {
  it.each(SHOWN)("%s: names with names given, the ids in a compact line", async (kind) => {
    const ws = await workspace();
    const body = closeEvent(ws, `names-${kind}-${crypto.randomUUID()}`);
    const names = await namesFor(ws, body);
    const dest = ALL[kind] as DestinationConfig;
    const text = shown(render(dest, context(ws, body, dest, { names })).body);
    for (const name of ["박지훈", "김민준", "VIP", "배송지연", "배송 › 분실 › 택배 분실", "프리미엄 회원"]) {
      expect(text).toContain(name);
    }
    // The ids stay searchable, in the footer's ids line.
    expect(text).toContain(`ids: user ${I.users.park} · agent ${I.agents.kim}`);
    expect(text).toContain(I.sessionTags.vip);
    expect(text).toContain(I.categories.parcelLost);
  });

  it.each(Object.keys(ALL))("%s: without names, ids as they come and no ids line", async (kind) => {
    const ws = await workspace();
    const body = closeEvent(ws, `ids-${kind}-${crypto.randomUUID()}`);
    const dest = ALL[kind] as DestinationConfig;
    const text = shown(render(dest, context(ws, body, dest)).body);
    expect(text).toContain(I.users.park);
    expect(text).toContain(I.sessionTags.vip);
    expect(text).toContain(I.categories.parcelLost);
    expect(text).not.toContain("박지훈");
    expect(text).not.toContain("ids: ");
  });

  it.each(CHAT)("%s: posts the names through sendTo", async (kind, dest) => {
    const ws = await workspace();
    const triggerId = `names-post-${kind}-${crypto.randomUUID()}`;
    const body = closeEvent(ws, triggerId);
    const names = await namesFor(ws, body);
    const ctx = context(ws, body, dest, { names, secrets: { KIND_URL: `${base}/hook/names-${kind}` } });
    expect(await sendTo(dest, ctx)).toEqual({ ok: true, status: 200 });
    const got = await received(triggerId);
    expect(got).toHaveLength(1);
    expect(shown(got[0]?.body ?? "{}")).toContain("배송 › 분실 › 택배 분실");
  });

  it("a message event: the sending agent by name, the customer's tags and groups by name", async () => {
    const ws = await workspace();
    const body = messageEvent(ws, `msg-${crypto.randomUUID()}`);
    const names = await namesFor(ws, body);
    const dest = kinds().slack as DestinationConfig;
    const text = shown(render(dest, context(ws, body, dest, { names })).body);
    expect(text).toContain("Message from agent 김민준");
    expect(text).toContain("재구매 고객");
    expect(text).toContain("프리미엄 회원");
    expect(text).toContain(`user tags ${I.userTags.returning}`);
  });

  it('the webhook envelope adds the names; body = "event" stays byte for byte', async () => {
    const ws = await workspace();
    const body = closeEvent(ws, `env-${crypto.randomUUID()}`);
    const names = await namesFor(ws, body);
    const envelope = kinds().webhook as DestinationConfig;
    const got = JSON.parse(render(envelope, context(ws, body, envelope, { names })).body);
    expect(got.names.sessionTags).toEqual({ [I.sessionTags.vip]: "VIP", [I.sessionTags.delay]: "배송지연" });
    expect(got.names.users).toEqual({ [I.users.park]: "박지훈" });
    expect(got.names.categories[I.categories.lost]).toBe("분실");
    expect(got).not.toHaveProperty("transcript");
    const event = { type: "webhook", url_secret: "KIND_URL", body: "event" } as DestinationConfig;
    const ctx = context(ws, body, event, { names });
    expect(render(event, ctx).body).toBe(ctx.raw);
  });
});

describe("times in the configured zone", () => {
  it.each(SHOWN)("%s: Asia/Seoul shows KST, 24-hour; no zone shows UTC as before", async (kind) => {
    const ws = await workspace();
    const body = closeEvent(ws, `tz-${kind}-${crypto.randomUUID()}`);
    const dest = ALL[kind] as DestinationConfig;
    const seoul = shown(render(dest, context(ws, body, dest, { timezone: "Asia/Seoul" })).body);
    expect(seoul).toContain("2019-04-29 18:13 KST"); // closeTime 09:13 UTC
    expect(seoul).toContain("2019-04-29 18:00 KST"); // openTime
    expect(seoul).toContain("13m 0s"); // durations as before
    expect(seoul).not.toContain("09:13:00 UTC");
    const utc = shown(render(dest, context(ws, body, dest)).body);
    expect(utc).toContain("2019-04-29 09:13:00 UTC");
  });

  it("`timezone` is validated: an IANA name, reported with its path otherwise", () => {
    const config = (timezone: unknown) => ({
      timezone,
      destinations: { ops: { type: "slack", webhook_url_secret: "OPS_URL" } },
      fallback: ["ops"],
    });
    const ok = validateRouting(config("Asia/Seoul"), () => "set");
    expect(ok.ok && ok.value.timezone).toBe("Asia/Seoul");
    const none = validateRouting({ ...config(undefined), timezone: undefined }, () => "set");
    expect(none.ok && none.value.timezone).toBeUndefined();
    expect(validateRouting(config("KST"), () => "set")).toEqual({
      ok: false,
      error: ['timezone: unknown time zone "KST" (use an IANA name such as "Asia/Seoul" or "UTC")'],
    });
    expect(validateRouting(config(9), () => "set")).toEqual({ ok: false, error: ["timezone: must be a string"] });
  });
});

describe("the new placeholders", () => {
  it("session events: the customer and the assignee from the Open API, names and raw ids", async () => {
    const ws = await workspace();
    const body = closeEvent(ws, `ph-${crypto.randomUUID()}`);
    const names = await namesFor(ws, body);
    const v = templateValues(viewEvent(body), { includeContact: false, names });
    expect(v["user.name"]).toBe("박지훈");
    expect(v["user.identifier"]).toBe("customer-1001");
    expect(v["user.lang"]).toBe("ko");
    expect((v as Record<string, string>)["user.meta.plan"]).toBe("gold");
    expect(v["user.email"]).toBe("");
    expect(v["user.phone"]).toBe("");
    expect(v["assignee.name"]).toBe("김민준");
    expect(v["session.tags"]).toBe("VIP, 배송지연");
    expect(v["session.tagIds"]).toBe(`${I.sessionTags.vip}, ${I.sessionTags.delay}`);
    expect(v["session.categories"]).toBe("배송 › 분실 › 택배 분실");
    expect(v["session.categoryIds"]).toBe(I.categories.parcelLost);
    expect(v["session.userGroups"]).toBe("프리미엄 회원");
    expect(v["session.userGroupIds"]).toBe(I.userGroups.premium);
    const contact = templateValues(viewEvent(body), { includeContact: true, names });
    expect(contact["user.email"]).toBe("jihoon.park@example.com");
    expect(contact["user.phone"]).toBe("010-1234-5678");
  });

  it("message events: the customer is `to`; to.tags and to.groups by name, their ids raw", async () => {
    const ws = await workspace();
    const body = messageEvent(ws, `ph-msg-${crypto.randomUUID()}`);
    const names = await namesFor(ws, body);
    const v = templateValues(viewEvent(body), { includeContact: false, names });
    expect(v["user.name"]).toBe("박지훈");
    expect((v as Record<string, string>)["user.meta.region"]).toBe("서울");
    expect(v["to.tags"]).toBe("재구매 고객");
    expect(v["to.tagIds"]).toBe(I.userTags.returning);
    expect(v["to.groups"]).toBe("프리미엄 회원");
    expect(v["to.groupIds"]).toBe(I.userGroups.premium);
    // Without names the lists are the ids, as before.
    const bare = templateValues(viewEvent(body), { includeContact: false });
    expect(bare["to.tags"]).toBe(I.userTags.returning);
    expect(bare["assignee.name"]).toBe("");
  });

  it("renders in a Slack template, escaped; {{user.meta.<key>}} takes any plain key, other names are errors", async () => {
    const ws = await workspace();
    const body = closeEvent(ws, `ph-slack-${crypto.randomUUID()}`);
    const names = await namesFor(ws, body);
    const dest = {
      ...kinds().slack,
      template: {
        title: "{{user.name}} ({{user.meta.plan}})",
        text: "{{assignee.name}} · {{session.categories}} · {{user.meta.nope}}",
      },
    } as DestinationConfig;
    const got = JSON.parse(render(dest, context(ws, body, dest, { names })).body);
    expect(got.blocks[0].text.text).toBe("박지훈 (gold)");
    expect(got.blocks[1].text.text).toBe("김민준 · 배송 › 분실 › 택배 분실 ·");
    const check = (text: string) =>
      validateRouting(
        {
          destinations: { ops: { type: "slack", webhook_url_secret: "OPS_URL", template: { text } } },
          fallback: ["ops"],
        },
        () => "set",
      );
    expect(check("{{user.meta.plan}} {{user.meta.member_grade-2}} {{session.tagIds}} {{assignee.name}}").ok).toBe(true);
    expect(check("{{user.meta.}} {{user.meta.a.b}} {{user.foo}}")).toEqual({
      ok: false,
      error: [
        "destinations.ops.template.text: unknown placeholder {{user.meta.}}",
        "destinations.ops.template.text: unknown placeholder {{user.meta.a.b}}",
        "destinations.ops.template.text: unknown placeholder {{user.foo}}",
      ],
    });
  });
});

describe("hostile names are escaped per kind", () => {
  const HOSTILE = "<!channel> @everyone *bold* _x_ </script><img src=x onerror=alert(1)>";
  const hostile = (): Resolution => ({
    names: {
      sessionTags: { [I.sessionTags.vip]: { name: HOSTILE } },
      categories: { [I.categories.parcelLost]: { name: HOSTILE } },
      userGroups: {},
      userTags: {},
      agents: { [I.agents.kim]: { name: HOSTILE } },
      users: { [I.users.park]: { name: HOSTILE, meta: {}, groups: [], tags: [] } },
    },
    categoryPaths: { [I.categories.parcelLost]: [{ id: I.categories.parcelLost, name: HOSTILE }] },
    unknown: [],
    pending: [],
    unavailable: false,
    unauthorized: null,
    calls: 0,
  });
  const ESCAPES: Record<string, (s: string) => string> = {
    slack: escapeMrkdwn,
    discord: escapeDiscord,
    teams: escapeTeams,
    "google-chat": escapeChatHtml,
  };

  it.each(Object.keys(ESCAPES))("%s: every substituted name escaped, never raw", async (kind) => {
    const ws = await workspace();
    const body = closeEvent(ws, `hostile-${kind}-${crypto.randomUUID()}`);
    const dest = kinds()[kind] as DestinationConfig;
    const text = shown(render(dest, context(ws, body, dest, { names: hostile() })).body);
    const escaped = (ESCAPES[kind] as (s: string) => string)(HOSTILE);
    expect(escaped).not.toBe(HOSTILE);
    expect(text).toContain(escaped);
    expect(text).not.toContain(HOSTILE);
    if (kind === "slack") expect(text).not.toContain("<!channel>");
    if (kind === "google-chat") expect(text).not.toContain("</script>");
  });

  it("email: HTML-escaped in the HTML part, plain in the text part", async () => {
    const ws = await workspace();
    const body = closeEvent(ws, `hostile-mail-${crypto.randomUUID()}`);
    const got = JSON.parse(render(EMAIL, context(ws, body, EMAIL, { names: hostile() })).body);
    expect(got.html).not.toContain("</script>");
    expect(got.html).not.toContain("<img");
    expect(got.html).toContain("&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;");
    expect(got.text).toContain(HOSTILE);
  });

  it("slack: a hostile name in a template value is escaped too", async () => {
    const ws = await workspace();
    const body = closeEvent(ws, `hostile-tpl-${crypto.randomUUID()}`);
    const dest = {
      ...kinds().slack,
      template: { text: "*{{user.name}}* {{assignee.name}} {{session.tags}}" },
    } as DestinationConfig;
    const got = JSON.parse(render(dest, context(ws, body, dest, { names: hostile() })).body);
    expect(got.blocks[1].text.text).toBe(
      `*${escapeMrkdwn(HOSTILE)}* ${escapeMrkdwn(HOSTILE)} ${escapeMrkdwn(HOSTILE)}, 배송지연`.replace(
        ", 배송지연",
        `, ${I.sessionTags.delay}`,
      ),
    );
  });
});
