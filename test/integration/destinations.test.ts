// End to end for the outgoing webhook, Discord, Teams and Google Chat:
// POST /events with a routing tag → real local queue → consumer → fake receiver.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { claimsFor } from "../../src/delivery/claims.ts";
import type { DiscordDestinationConfig } from "../../src/destinations/discord/config.ts";
import { formatDiscord } from "../../src/destinations/discord/format.ts";
import type { GoogleChatDestinationConfig } from "../../src/destinations/google-chat/config.ts";
import { formatGoogleChat } from "../../src/destinations/google-chat/format.ts";
import type { TeamsDestinationConfig } from "../../src/destinations/teams/config.ts";
import { formatTeams } from "../../src/destinations/teams/format.ts";
import { viewEvent } from "../../src/event/view.ts";
import { verifySignature } from "../../src/ingest/signature.ts";
import { type DeadLetterRecord, deadLetterKey } from "../../src/storage/dead-letters.ts";
import { deliveryId } from "../../src/storage/delivery-message.ts";
import { eventKey } from "../../src/storage/event-key.ts";
import { TAG } from "../support/ids.ts";
import { HOOKS, TEST_ROUTING, WEBHOOK_SIGNING_SECRET, WEBHOOK_TOKEN } from "../support/test-env.ts";
import { closeEvent, post, received, receivedAtLeast, script, uniqueId, waitFor } from "../support/worker.ts";

/** A session event routed by `tag` (an id of TAG) alone (an open: no other rule takes it). */
function tagged(tag: string, session: Record<string, unknown> = {}) {
  return closeEvent(
    { type: "session_state_open", triggerId: uniqueId("open") },
    { tags: [tag], closeTime: null, reason: null, ...session },
  );
}

/** A destination's config as validation leaves it (defaults applied). */
function chatDest<T>(name: keyof typeof TEST_ROUTING.destinations): T {
  return { include_contact: false, ...TEST_ROUTING.destinations[name] } as T;
}

async function states(triggerId: string) {
  return claimsFor(env, await eventKey("TEST_APP", triggerId)).states();
}

describe("outgoing webhook", () => {
  it('body = "event" posts the payload byte for byte', async () => {
    const triggerId = uniqueId("webhook");
    // Spacing, key order, escapes and number formats a re-serialisation would change.
    const text = `{ "type" : "session_state_open", "triggerId":"${triggerId}", "appCode":"TEST_APP",\n "n": 1.50, "s": "\\u00e9 가 😀", "session": {"tags": ["${TAG.webhook}"]} }`;
    expect((await post(text)).body.destinations).toEqual(["webhook"]);
    const [req, ...extra] = await receivedAtLeast(triggerId, 1);
    expect(extra).toEqual([]);
    expect(req?.path).toBe(HOOKS.webhook);
    expect(req?.body).toBe(text);
    expect(req?.headers["content-type"]).toBe("application/json");
    expect(req?.headers).not.toHaveProperty("x-hub-signature");
  });

  it("a signed webhook's X-Hub-Signature verifies over the exact body, with its configured headers", async () => {
    const event = tagged(TAG.webhookSigned, { note: '환불 😀 "quoted" \\ back' });
    const text = JSON.stringify(event, null, 2);
    expect((await post(text)).body.destinations).toEqual(["webhook-signed"]);
    const [req] = await receivedAtLeast(event.triggerId, 1);
    expect(req?.path).toBe(HOOKS["webhook-signed"]);
    expect(req?.body).toBe(text);
    const bytes = new TextEncoder().encode(req?.body);
    expect(await verifySignature(req?.headers["x-hub-signature"], bytes, [WEBHOOK_SIGNING_SECRET])).toBe(true);
    expect(await verifySignature(req?.headers["x-hub-signature"], bytes, ["another secret"])).toBe(false);
    expect(req?.headers["x-relay-test"]).toBe("static");
    expect(req?.headers.authorization).toBe(WEBHOOK_TOKEN);
  });

  it('body = "envelope" wraps the payload with its rule, destination and delivery time', async () => {
    const event = tagged(TAG.webhookEnvelope);
    const text = JSON.stringify(event);
    const before = Date.now();
    await post(text);
    const [req] = await receivedAtLeast(event.triggerId, 1);
    expect(req?.path).toBe(HOOKS["webhook-envelope"]);
    expect(req?.body.startsWith(`{"event":${text},`)).toBe(true);
    const envelope = JSON.parse(req?.body ?? "{}");
    expect(envelope).toEqual({
      event,
      rule: "webhook-envelope",
      destination: "webhook-envelope",
      deliveredAt: expect.any(String),
    });
    expect(Date.parse(envelope.deliveredAt)).toBeGreaterThanOrEqual(before - 1000);
  });

  it("retries a receiver that fails, then delivers once", async () => {
    const event = tagged(TAG.webhook);
    await script(event.triggerId, [{ status: 502 }, { status: 429, body: "slow down" }]);
    await post(event);
    expect(await receivedAtLeast(event.triggerId, 1)).toHaveLength(1);
    expect(await states(event.triggerId)).toMatchObject([{ destination: "webhook", state: "delivered", attempts: 3 }]);
  });
});

describe("chat destinations", () => {
  it("Discord gets content + embed, with the session link and no pings", async () => {
    const event = tagged(TAG.discord, { note: "@everyone <@123> **urgent**" });
    expect((await post(event)).body.destinations).toEqual(["discord"]);
    const [req] = await receivedAtLeast(event.triggerId, 1);
    expect(req?.path).toBe(HOOKS.discord);
    const body = JSON.parse(req?.body ?? "{}");
    const dest = chatDest<DiscordDestinationConfig>("discord");
    expect(body).toEqual(formatDiscord(viewEvent(event), dest));
    expect(body.allowed_mentions).toEqual({ parse: [] });
    expect(body.embeds[0].url).toBe(`https://console.gitple.test/sessions/${event.session.id}`);
    expect(body.embeds[0].description).toBe("**Note**\n@\u200beveryone <\u200b@123\\> \\*\\*urgent\\*\\*");
  });

  it("Teams gets an Adaptive Card message with the destination's template title", async () => {
    const event = tagged(TAG.teams);
    expect((await post(event)).body.destinations).toEqual(["teams"]);
    const [req] = await receivedAtLeast(event.triggerId, 1);
    expect(req?.path).toBe(HOOKS.teams);
    const body = JSON.parse(req?.body ?? "{}");
    const dest = chatDest<TeamsDestinationConfig>("teams");
    expect(body).toEqual(formatTeams(viewEvent(event), dest, dest.template));
    expect(body.attachments[0].contentType).toBe("application/vnd.microsoft.card.adaptive");
    expect(body.attachments[0].content.body[0].text).toBe(`Gitple session\\_state\\_open: ${event.session.id}`);
  });

  it("Google Chat gets a cardsV2 message", async () => {
    const event = tagged(TAG.gchat, { note: "</script><b>x</b>" });
    expect((await post(event)).body.destinations).toEqual(["gchat"]);
    const [req] = await receivedAtLeast(event.triggerId, 1);
    expect(req?.path).toBe(HOOKS.gchat);
    const body = JSON.parse(req?.body ?? "{}");
    expect(body).toEqual(formatGoogleChat(viewEvent(event), chatDest<GoogleChatDestinationConfig>("gchat")));
    expect(req?.body).toContain("&lt;/script&gt;&lt;b&gt;x&lt;/b&gt;");
  });

  it("waits for Discord's JSON retry_after on 429, then delivers", async () => {
    const event = tagged(TAG.discord);
    await script(event.triggerId, [
      { status: 429, headers: { "content-type": "application/json" }, body: '{"retry_after":0.8,"global":false}' },
    ]);
    const before = Date.now();
    await post(event);
    const [req] = await receivedAtLeast(event.triggerId, 1);
    expect((req?.at ?? 0) - before).toBeGreaterThanOrEqual(1000);
    expect(await states(event.triggerId)).toMatchObject([{ destination: "discord", state: "delivered", attempts: 2 }]);
  });

  it("dead-letters a 400 from Google Chat at once, quoting its answer", async () => {
    const event = tagged(TAG.gchat);
    const answer = '{"error":{"code":400,"status":"INVALID_ARGUMENT"}}';
    await script(event.triggerId, [{ status: 400, body: answer }, { status: 200 }]);
    await post(event);
    const id = deliveryId({ eventKey: await eventKey("TEST_APP", event.triggerId), destination: "gchat" });
    const dead = await waitFor(
      async () => (await env.RELAY_STATE.get<DeadLetterRecord>(deadLetterKey(id), "json")) ?? undefined,
      15_000,
      `dead letter ${id}`,
    );
    expect(dead).toMatchObject({ destination: "gchat", reason: `HTTP 400: ${answer}`, attempts: 1, lastStatus: 400 });
    expect(await received(event.triggerId)).toEqual([]);
  });
});
