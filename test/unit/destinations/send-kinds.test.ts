// Every new destination kind through sendTo and the fake receiver: what it
// posts, and the shared retry table applied to its receiver's answers.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { SendContext } from "../../../src/destinations/contract.ts";
import { formatDiscord } from "../../../src/destinations/discord/format.ts";
import { formatGoogleChat } from "../../../src/destinations/google-chat/format.ts";
import type { DestinationConfig } from "../../../src/destinations/registry.ts";
import { sendTo } from "../../../src/destinations/registry.ts";
import { formatTeams } from "../../../src/destinations/teams/format.ts";
import { viewEvent } from "../../../src/event/view.ts";
import type { RoutingConfig } from "../../../src/routing/types.ts";

const base = (env as unknown as Record<string, string>).TEST_RECEIVER;

const KINDS: Record<string, DestinationConfig> = {
  webhook: { type: "webhook", url_secret: "KIND_URL", body: "event" },
  discord: { type: "discord", webhook_url_secret: "KIND_URL", include_contact: false },
  teams: { type: "teams", webhook_url_secret: "KIND_URL", include_contact: false },
  "google-chat": { type: "google-chat", webhook_url_secret: "KIND_URL", include_contact: false },
};

function context(triggerId: string, dest: DestinationConfig, secrets: Record<string, string>): SendContext {
  const raw = JSON.stringify({ type: "session_state_close", triggerId, session: { id: "s1", note: "환불 요청" } });
  return {
    event: viewEvent(JSON.parse(raw)),
    raw,
    destination: "d",
    rules: ["r"],
    config: {
      rules: [{ name: "r", destinations: ["d"], stop: false, template: { title: "Rule: {{session.id}}" } }],
      destinations: { d: dest },
    } as unknown as RoutingConfig,
    secret: (name) => secrets[name] || undefined,
    env: env as Env,
    timeoutMs: 5000,
  };
}

async function scripted(responses: Record<string, unknown>[]): Promise<string> {
  const marker = `kinds-${crypto.randomUUID()}`;
  await fetch(`${base}/__script`, { method: "POST", body: JSON.stringify({ match: marker, responses }) });
  return marker;
}

describe.each(Object.keys(KINDS))("sendTo %s", (kind) => {
  const dest = KINDS[kind] as DestinationConfig;

  it("posts the formatted message, with the first matched rule's template, to the URL in the secret", async () => {
    const triggerId = `send-${crypto.randomUUID()}`;
    const ctx = context(triggerId, dest, { KIND_URL: `${base}/hook/kind-${kind}` });
    expect(await sendTo(dest, ctx)).toEqual({ ok: true, status: 200 });
    const got = (await (await fetch(`${base}/__received?match=${triggerId}`)).json()) as {
      path: string;
      body: string;
    }[];
    expect(got).toHaveLength(1);
    expect(got[0]?.path).toBe(`/hook/kind-${kind}`);
    const template = { title: "Rule: {{session.id}}" };
    const expected =
      dest.type === "discord"
        ? JSON.stringify(formatDiscord(ctx.event, dest, template))
        : dest.type === "teams"
          ? JSON.stringify(formatTeams(ctx.event, dest, template))
          : dest.type === "google-chat"
            ? JSON.stringify(formatGoogleChat(ctx.event, dest, template))
            : ctx.raw;
    expect(got[0]?.body).toBe(expected);
    if (dest.type !== "webhook") expect(got[0]?.body).toContain("Rule: s1");
  });

  it.each<[number, string, boolean, number | undefined]>([
    [400, '{"code":50035,"message":"Invalid Form Body"}', false, undefined],
    [401, "unauthorized", false, undefined],
    [403, "forbidden", false, undefined],
    [404, '{"error":{"code":404,"status":"NOT_FOUND"}}', false, undefined],
    [422, "invalid", false, undefined],
    [408, "timeout", true, undefined],
    [429, '{"message":"You are being rate limited.","retry_after":1.5,"global":false}', true, 2],
    [500, "oops", true, undefined],
    [503, "unavailable", true, undefined],
  ])("HTTP %i → retryable %s", async (status, body, retryable, retryAfterSeconds) => {
    const marker = await scripted([{ status, body }]);
    const outcome = await sendTo(dest, context(marker, dest, { KIND_URL: `${base}/hook/kind-${kind}` }));
    expect(outcome).toEqual({
      ok: false,
      retryable,
      status,
      reason: `HTTP ${status}: ${body}`,
      ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
    });
  });

  it("accepts any 2xx (Discord's 204, a workflow's 202)", async () => {
    for (const status of [202, 204]) {
      const marker = await scripted([{ status, body: "" }]);
      expect(await sendTo(dest, context(marker, dest, { KIND_URL: `${base}/hook/kind-${kind}` }))).toEqual({
        ok: true,
        status,
      });
    }
  });

  it("fails for good, naming the secret, when it is not set", async () => {
    const outcome = await sendTo(dest, context("t-missing", dest, {}));
    expect(outcome).toMatchObject({ ok: false, retryable: false });
    expect(!outcome.ok && outcome.reason).toMatch(/secret "KIND_URL" is not set/);
  });
});
