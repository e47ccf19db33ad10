// `render` stays the single source of request bodies in the per-session modes: what
// `routes explain --render` shows is the first post's body, byte for byte.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { SendContext } from "../../../src/destinations/contract.ts";
import type { DestinationConfig } from "../../../src/destinations/registry.ts";
import { preview, sendTo } from "../../../src/destinations/registry.ts";
import { viewEvent } from "../../../src/event/view.ts";
import type { RoutingConfig } from "../../../src/routing/types.ts";
import { TEST_SLACK_BOT_TOKEN } from "../../support/test-env.ts";
import { gitpleId, received, receiverBase, uniqueId } from "../../support/worker.ts";

function context(triggerId: string, sessionId: string): SendContext {
  const event = {
    triggerId,
    type: "session_state_open",
    appCode: "TEST_APP",
    session: { id: sessionId, note: triggerId },
  };
  return {
    event: viewEvent(event),
    raw: JSON.stringify(event),
    destination: "preview-follow",
    rules: [],
    config: { rules: [], destinations: {} } as unknown as RoutingConfig,
    secret: (name) =>
      name === "BOT"
        ? TEST_SLACK_BOT_TOKEN
        : name === "PREVIEW_URL"
          ? `${receiverBase()}/hook/preview-follow`
          : undefined,
    env: env as Env,
    timeoutMs: 5000,
  };
}

describe("preview of a per-session destination: the first post's body", () => {
  it.each<[string, () => DestinationConfig, (body: Record<string, unknown>, sessionId: string) => void]>([
    [
      "Slack app, update: chat.postMessage's body, with the channel",
      () => ({
        type: "slack",
        bot_token_secret: "BOT",
        channel: "C0PREVIEW",
        per_session: "update",
        api_url: `${receiverBase()}/slack/api`,
        include_contact: false,
      }),
      (body) =>
        expect(body).toMatchObject({ channel: "C0PREVIEW", text: expect.any(String), blocks: expect.any(Array) }),
    ],
    [
      "Discord, update",
      () => ({ type: "discord", webhook_url_secret: "PREVIEW_URL", include_contact: false, per_session: "update" }),
      (body) => expect(body).toHaveProperty("embeds"),
    ],
    [
      "Google Chat, thread: the thread key holds the session id",
      () => ({ type: "google-chat", webhook_url_secret: "PREVIEW_URL", include_contact: false, per_session: "thread" }),
      (body, sessionId) =>
        expect((body.thread as { threadKey: string }).threadKey).toBe(`gitple-session-TEST_APP-${sessionId}`),
    ],
  ])("%s", async (_what, make, check) => {
    const triggerId = uniqueId("preview-follow");
    const sessionId = gitpleId();
    const ctx = context(triggerId, sessionId);
    const dest = make();
    const shown = preview(dest, ctx);
    expect(await sendTo(dest, ctx)).toMatchObject({ ok: true });
    const [req, ...more] = await received(triggerId);
    expect(more).toEqual([]);
    expect(shown).toEqual({ contentType: "application/json", body: req?.body });
    check(JSON.parse(shown.body) as Record<string, unknown>, sessionId);
  });
});

describe("a Slack app's message speaks Gitple like a webhook's", () => {
  it("shows the names it is given (the customer, tags) and keeps the ids in the footer", () => {
    const ctx = context(uniqueId("names"), "5cc6c0048e1c2a0013f0a1c3");
    const event = {
      ...JSON.parse(ctx.raw),
      session: { id: "s1", userId: "5cc6b9000000000000000001", tags: ["5cc7a1000000000000000001"] },
    };
    const names = {
      names: {
        users: { "5cc6b9000000000000000001": { name: "박지훈", meta: {}, groups: [], tags: [] } },
        sessionTags: { "5cc7a1000000000000000001": { name: "VIP" } },
      },
      categoryPaths: {},
      unknown: [],
      pending: [],
      unavailable: false,
      unauthorized: null,
      calls: 0,
    } as unknown as NonNullable<SendContext["names"]>;
    const dest: DestinationConfig = {
      type: "slack",
      bot_token_secret: "BOT",
      channel: "C0NAMES",
      per_session: "update",
      include_contact: false,
    } as DestinationConfig;
    const body = preview(dest, { ...ctx, event: viewEvent(event), raw: JSON.stringify(event), names }).body;
    expect(body).toContain("박지훈");
    expect(body).toContain("VIP");
    expect(body).toContain("5cc7a1000000000000000001");
  });
});
