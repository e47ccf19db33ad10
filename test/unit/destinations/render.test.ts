import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { SendContext } from "../../../src/destinations/contract.ts";
import type { DestinationConfig } from "../../../src/destinations/registry.ts";
import { KINDS, preview, render, sendTo } from "../../../src/destinations/registry.ts";
import { viewEvent } from "../../../src/event/view.ts";
import type { RoutingConfig } from "../../../src/routing/types.ts";
import { TAG } from "../../support/ids.ts";
import { received, receiverBase, uniqueId } from "../../support/worker.ts";

/** A send context whose secret points the destination at the fake receiver. */
function context(event: Record<string, unknown> & { type: string; triggerId: string }, path: string): SendContext {
  return {
    event: viewEvent(event),
    raw: JSON.stringify(event),
    destination: "preview-slack",
    rules: ["r"],
    config: {
      rules: [{ name: "r", template: { title: "Preview {{session.reason}}" } }],
      destinations: {},
    } as unknown as RoutingConfig,
    secret: (name) => (name === "PREVIEW_URL" ? `${receiverBase()}${path}` : undefined),
    env: env as Env,
    timeoutMs: 5000,
  };
}

describe("preview: the kind's render, by construction", () => {
  const dests: DestinationConfig[] = [
    { type: "slack", webhook_url_secret: "PREVIEW_URL", include_contact: true },
    { type: "webhook", url_secret: "PREVIEW_URL", body: "envelope" },
    { type: "discord", webhook_url_secret: "PREVIEW_URL", include_contact: false },
    { type: "teams", webhook_url_secret: "PREVIEW_URL", include_contact: false },
    { type: "google-chat", webhook_url_secret: "PREVIEW_URL", include_contact: false },
    {
      type: "email",
      provider: "cloudflare",
      from: "relay@example.com",
      to: ["ops@example.com"],
      binding: "EMAIL",
      include_contact: false,
    },
  ];

  it("covers every kind in the registry", () => {
    expect(dests.map((d) => d.type).sort()).toEqual(Object.keys(KINDS).sort());
  });

  it.each(dests.map((d) => [d.type, d] as const))("%s: what explain --render shows is the render", (_, dest) => {
    const ctx = { ...context({ triggerId: "t-render", type: "session_state_close" }, "/unused"), now: new Date(0) };
    const rendered = render(dest, ctx);
    expect(rendered).toEqual(KINDS[dest.type].render(dest as never, ctx));
    expect(preview(dest, ctx)).toEqual({ contentType: rendered.contentType, body: rendered.body });
  });
});

describe("preview: what a destination would receive", () => {
  it.each<[string, DestinationConfig, Record<string, unknown>]>([
    [
      "slack, a session close",
      { type: "slack", webhook_url_secret: "PREVIEW_URL", include_contact: false },
      { type: "session_state_close", session: { reason: "userCancel", tags: [TAG.vip], note: "*bold* <@U1>" } },
    ],
    [
      "slack with contact details, a message",
      { type: "slack", webhook_url_secret: "PREVIEW_URL", include_contact: true },
      { type: "send_external_message", to: { name: "Kim", email: "kim@example.com" }, message: { content: "hi" } },
    ],
    [
      "webhook, the event as sent",
      { type: "webhook", url_secret: "PREVIEW_URL", body: "event" },
      { type: "session_state_close", session: { reason: "userCancel" } },
    ],
    [
      "discord, with the first matched rule's template",
      { type: "discord", webhook_url_secret: "PREVIEW_URL", include_contact: false },
      { type: "session_state_close", session: { reason: "userCancel", note: "@everyone" } },
    ],
    [
      "teams, a message",
      { type: "teams", webhook_url_secret: "PREVIEW_URL", include_contact: false },
      { type: "send_external_message", to: { name: "Kim" }, message: { content: "**hi**" } },
    ],
    [
      "google-chat, a session open",
      { type: "google-chat", webhook_url_secret: "PREVIEW_URL", include_contact: true },
      { type: "session_state_open", session: { id: "s1", tags: ["<b>vip</b>"] } },
    ],
  ])("%s: the exact body the sender posts", async (_, dest, fields) => {
    const triggerId = uniqueId("preview");
    const ctx = context({ triggerId, ...fields } as { type: string; triggerId: string }, "/hook/preview");
    const shown = preview(dest, ctx);
    expect(await sendTo(dest, ctx)).toEqual({ ok: true, status: 200 });
    const [req, ...more] = await received(triggerId);
    expect(more).toEqual([]);
    expect(shown).toEqual({ contentType: "application/json", body: req?.body });
    expect(req?.headers["content-type"]).toBe(shown.contentType);
  });
});

describe("preview: a webhook envelope", () => {
  it("is the body the sender posts, but for the delivery time", async () => {
    const triggerId = uniqueId("preview-envelope");
    const ctx = context({ triggerId, type: "session_state_close" }, "/hook/preview-envelope");
    const dest: DestinationConfig = { type: "webhook", url_secret: "PREVIEW_URL", body: "envelope" };
    const shown = preview(dest, ctx);
    expect(await sendTo(dest, ctx)).toEqual({ ok: true, status: 200 });
    const [req] = await received(triggerId);
    const withoutTime = (body: string) => ({ ...JSON.parse(body), deliveredAt: "…" });
    expect(withoutTime(shown.body)).toEqual(withoutTime(req?.body ?? "{}"));
    expect(JSON.parse(shown.body)).toMatchObject({
      event: JSON.parse(ctx.raw),
      rule: "r",
      destination: "preview-slack",
    });
  });
});

describe("preview: an email", () => {
  it("shows the subject and parts the sender sends (here through a Resend stand-in)", async () => {
    const triggerId = uniqueId("preview-mail");
    const ctx = context({ triggerId, type: "session_state_close", session: { reason: "userCancel" } }, "");
    const dest: DestinationConfig = {
      type: "email",
      provider: "resend",
      from: "relay@example.com",
      to: ["ops@example.com"],
      api_key_secret: "PREVIEW_KEY",
      endpoint: `${receiverBase()}/resend/preview`,
      binding: "EMAIL",
      include_contact: false,
    } as DestinationConfig;
    const withKey = { ...ctx, secret: (name: string) => (name === "PREVIEW_KEY" ? "re_test" : undefined) };
    const shown = JSON.parse(preview(dest, withKey).body);
    expect(await sendTo(dest, withKey)).toMatchObject({ ok: true });
    const [req] = await received(triggerId);
    const sent = JSON.parse(req?.body ?? "{}");
    expect(shown).toMatchObject({ from: "relay@example.com", to: ["ops@example.com"] });
    expect(shown.subject).toBe("Preview userCancel");
    expect({ subject: shown.subject, text: shown.text, html: shown.html }).toEqual({
      subject: sent.subject,
      text: sent.text,
      html: sent.html,
    });
  });
});
