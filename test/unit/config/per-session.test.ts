// Issue 11's config: a Slack destination is a webhook or an app (exactly one secret),
// the app needs its channel, per_session other than "off" needs the app; Discord takes
// only "update", Google Chat only "thread"; Teams, email and webhook take no per_session.
import { describe, expect, it } from "vitest";
import { validateRouting } from "../../../src/routing/load.ts";

const SECRETS: Record<string, string> = {
  OPS_URL: "https://hooks.slack.com/ops",
  BOT: "xoxb-1",
  HOOK: "https://x.test/h",
};
const secrets = (name: string) => SECRETS[name];

const withDestination = (x: Record<string, unknown>) => ({
  fallback: ["x"],
  destinations: { x },
});
const app = (extra: Record<string, unknown> = {}) => ({
  type: "slack",
  bot_token_secret: "BOT",
  channel: "C0123ABCD",
  ...extra,
});
const chat = (type: string, extra: Record<string, unknown> = {}) => ({ type, webhook_url_secret: "HOOK", ...extra });

describe("per-session config is rejected, with its path", () => {
  it.each<[string, Record<string, unknown>, string[]]>([
    [
      "both secrets",
      app({ webhook_url_secret: "OPS_URL" }),
      [
        "destinations.x.bot_token_secret: a Slack destination has exactly one of webhook_url_secret or bot_token_secret",
      ],
    ],
    [
      "neither secret",
      { type: "slack", channel: "C0123ABCD" },
      [
        "destinations.x.webhook_url_secret: is required",
        "destinations.x.channel: only with bot_token_secret (an incoming webhook posts to its own channel)",
      ],
    ],
    [
      "bot token without channel",
      { type: "slack", bot_token_secret: "BOT" },
      ["destinations.x.channel: is required with bot_token_secret (the channel id the app posts to)"],
    ],
    [
      "a channel name instead of an id",
      app({ channel: "#support" }),
      ["destinations.x.channel: must be a channel id such as C0123ABCD (not a #name)"],
    ],
    [
      "per_session update on a webhook",
      { type: "slack", webhook_url_secret: "OPS_URL", per_session: "update" },
      [
        'destinations.x.per_session: "update" needs bot_token_secret (an incoming webhook cannot edit or thread its messages)',
      ],
    ],
    [
      "per_session thread on a webhook",
      { type: "slack", webhook_url_secret: "OPS_URL", per_session: "thread" },
      [
        'destinations.x.per_session: "thread" needs bot_token_secret (an incoming webhook cannot edit or thread its messages)',
      ],
    ],
    [
      "per_session unknown",
      app({ per_session: "edit" }),
      ['destinations.x.per_session: must be "update", "thread" or "off"'],
    ],
    ["api_url not a URL", app({ api_url: "slack.com/api" }), ["destinations.x.api_url: must be an http(s) URL"]],
    [
      "api_url on a webhook",
      { type: "slack", webhook_url_secret: "OPS_URL", api_url: "http://127.0.0.1:1/api" },
      ["destinations.x.api_url: only with bot_token_secret"],
    ],
    [
      "Discord thread",
      chat("discord", { per_session: "thread" }),
      ['destinations.x.per_session: must be "update" or "off" (a Discord webhook edits its message; it cannot thread)'],
    ],
    [
      "Google Chat update",
      chat("google-chat", { per_session: "update" }),
      [
        'destinations.x.per_session: must be "thread" or "off" (a Google Chat webhook threads by key; it cannot edit its message)',
      ],
    ],
    ["Teams", chat("teams", { per_session: "update" }), ['destinations.x: unknown key "per_session"']],
    [
      "webhook",
      { type: "webhook", url_secret: "HOOK", per_session: "update" },
      ['destinations.x: unknown key "per_session"'],
    ],
    [
      "email",
      { type: "email", from: "a@example.com", to: ["b@example.com"], per_session: "thread" },
      ['destinations.x: unknown key "per_session"'],
    ],
  ])("%s", (_name, destination, expected) => {
    const result = validateRouting(withDestination(destination), secrets);
    expect(result).toEqual({ ok: false, error: expected });
  });
});

describe("per-session config is accepted", () => {
  it.each<[string, Record<string, unknown>]>([
    ["a Slack app, update", app({ per_session: "update" })],
    ["a Slack app, thread, with a stand-in api_url", app({ per_session: "thread", api_url: "http://127.0.0.1:9/api" })],
    ["a Slack app, off", app({ per_session: "off" })],
    ["a Slack app without per_session", app()],
    ["Discord update", chat("discord", { per_session: "update" })],
    ["Discord off", chat("discord", { per_session: "off" })],
    ["Google Chat thread", chat("google-chat", { per_session: "thread" })],
  ])("%s", (_name, destination) => {
    expect(validateRouting(withDestination(destination), secrets).ok).toBe(true);
  });

  it("a webhook destination validates to what it did before app mode (no per_session or api_url added)", () => {
    const result = validateRouting(withDestination({ type: "slack", webhook_url_secret: "OPS_URL" }), secrets);
    expect(result.ok && result.value.destinations.x).toEqual({
      type: "slack",
      webhook_url_secret: "OPS_URL",
      include_contact: false,
    });
  });

  it("an unset bot token is reported by its name, like every secret", () => {
    const result = validateRouting(withDestination(app({ bot_token_secret: "UNSET_BOT" })), secrets);
    expect(result).toEqual({
      ok: false,
      error: ['destinations.x.bot_token_secret: secret "UNSET_BOT" is not set (wrangler secret put UNSET_BOT)'],
    });
  });
});
