// The bindings the Worker sees in tests: the signing secrets, the routing
// config of the test suite, and the fake receiver's URLs as webhook secrets.
// Node-side (imported by vitest.config.ts) and Worker-side (tests read the constants).
// Rules route by Gitple ids (test/support/ids.ts), as events carry them; routing by
// name needs [vars.ROUTING.gitple] (test/integration/gitple-routing.test.ts).
import { TAG } from "./ids.ts";

export const TEST_SECRET = "test secret, with spaces & ünïcödé";
export const TEST_SECRET_PREVIOUS = "previous-secret";
/** The admin API's bearer token in tests (src/admin). */
export const ADMIN_TOKEN = "test-admin-token-0123456789abcdef";

/** Destination name → the path the fake receiver records it under. */
export const HOOKS = {
  "main-slack": "/hook/main",
  "second-slack": "/hook/second",
  "vip-slack": "/hook/vip",
  ops: "/hook/ops",
  webhook: "/hook/webhook",
  "webhook-signed": "/hook/webhook-signed",
  "webhook-envelope": "/hook/webhook-envelope",
  discord: "/hook/discord",
  teams: "/hook/teams",
  gchat: "/hook/gchat",
  "resend-mail": "/resend/emails",
} as const;

/** The signed webhook's signing secret, and the value of its secret-valued header. */
export const WEBHOOK_SIGNING_SECRET = "webhook-signing-secret 3b9d"; // not a phrase the relay says (the Open API 401 message names "the webhook signing secret")
export const WEBHOOK_TOKEN = "Bearer test-token";

/** The session tag ids each test digest counts (test/integration/digests.test.ts): real events carry ids. */
export const DIGEST_TAGS = {
  day: "5dd1a0b1c2d3e4f5a6b7c8d9",
  empty: "5dd2a0b1c2d3e4f5a6b7c8d9",
  bound: "5dd3a0b1c2d3e4f5a6b7c8d9",
} as const;

/** The test digests' `at`: two hours from when the suite starts (UTC), so the current period spans the last 22 hours. */
export const DIGEST_AT = new Date(Date.now() + 2 * 3_600_000).toISOString().slice(11, 16);

export const TEST_ROUTING = {
  dedup_ttl_seconds: 3600,
  fallback: ["ops"],
  delivery: { max_attempts: 3, backoff_seconds: 0, max_backoff_seconds: 0, timeout_seconds: 2 },
  destinations: {
    "main-slack": { type: "slack", webhook_url_secret: "SLACK_MAIN_URL" },
    "second-slack": { type: "slack", webhook_url_secret: "SLACK_SECOND_URL", include_contact: true },
    "vip-slack": { type: "slack", webhook_url_secret: "SLACK_VIP_URL" },
    ops: { type: "slack", webhook_url_secret: "SLACK_OPS_URL" },
    // Korean words (issue 14's `language`); no rule sends to it, and it posts to the ops hook.
    "ko-slack": { type: "slack", webhook_url_secret: "SLACK_OPS_URL", language: "ko" },
    webhook: { type: "webhook", url_secret: "WEBHOOK_URL" },
    "webhook-signed": {
      type: "webhook",
      url_secret: "WEBHOOK_SIGNED_URL",
      signing_secret: "WEBHOOK_SIGNING_SECRET",
      headers: { "X-Relay-Test": "static", Authorization: { secret: "WEBHOOK_TOKEN" } },
    },
    "webhook-envelope": { type: "webhook", url_secret: "WEBHOOK_ENVELOPE_URL", body: "envelope" },
    discord: {
      type: "discord",
      webhook_url_secret: "DISCORD_URL",
      session_url: "https://console.gitple.test/sessions/{{session.id}}",
    },
    teams: { type: "teams", webhook_url_secret: "TEAMS_URL", template: { title: "Gitple {{type}}: {{session.id}}" } },
    gchat: { type: "google-chat", webhook_url_secret: "GCHAT_URL" },
    "team-mail": {
      type: "email",
      from: "Gitple 알림 <relay@example.com>",
      to: ["ops@example.com", "cs@example.com"],
      subject: "[Gitple] {{type}} {{session.id}}",
      session_url: "https://console.gitple.io/sessions/{{session.id}}",
    },
    "resend-mail": {
      type: "email",
      provider: "resend",
      from: "relay@example.com",
      to: ["ops@example.com"],
      api_key_secret: "RESEND_API_KEY",
    },
  },
  rules: [
    { name: "vip", tags: { any: [TAG.vip], none: [TAG.test] }, destinations: ["vip-slack", "main-slack"], stop: true },
    { name: "closes", events: ["session_state_close"], destinations: ["main-slack"] },
    { name: "two", tags: { any: [TAG.two] }, destinations: ["main-slack", "second-slack"] },
    { name: "messages", events: ["send_external_message"], destinations: ["second-slack"] },
    { name: "webhook", tags: { any: [TAG.webhook] }, destinations: ["webhook"] },
    { name: "webhook-signed", tags: { any: [TAG.webhookSigned] }, destinations: ["webhook-signed"] },
    { name: "webhook-envelope", tags: { any: [TAG.webhookEnvelope] }, destinations: ["webhook-envelope"] },
    { name: "discord", tags: { any: [TAG.discord] }, destinations: ["discord"] },
    { name: "teams", tags: { any: [TAG.teams] }, destinations: ["teams"] },
    { name: "gchat", tags: { any: [TAG.gchat] }, destinations: ["gchat"] },
    { name: "email", tags: { any: [TAG.email] }, destinations: ["team-mail", "resend-mail"] },
  ],
  digests: [
    {
      name: "test-day",
      at: DIGEST_AT,
      destinations: ["webhook", "main-slack", "discord"],
      tags: { any: [DIGEST_TAGS.day] },
    },
    { name: "test-empty", at: DIGEST_AT, destinations: ["webhook", "main-slack"], tags: { any: [DIGEST_TAGS.empty] } },
    { name: "test-bound", at: DIGEST_AT, covers: "6h", destinations: ["webhook"], tags: { any: [DIGEST_TAGS.bound] } },
  ],
};

/** The Slack app's bot token in tests: the Web API stand-in accepts only it (and it is a needle of the secrets check). */
export const TEST_SLACK_BOT_TOKEN = "xoxb-test-1234567890-0987654321-relaytesttoken";
/** The Gitple Open API secret the stand-in's test workspaces accept (test/unit/gitple/stand-in.ts), and a wrong one (a 401). */
export const GITPLE_TEST_API_SECRET = "stand-in open api secret 7f3a";
export const GITPLE_WRONG_API_SECRET = "wrong open api secret 91c2";

/** The Resend API key the test Worker holds (the stand-in checks nothing; tests assert the header). */
export const TEST_RESEND_KEY = "re_test_0123456789";

/** TEST_ROUTING with the Resend destination aimed at the fake receiver (its port is known only at run time). */
function withResendEndpoint(endpoint: string) {
  const destinations = {
    ...TEST_ROUTING.destinations,
    "resend-mail": { ...TEST_ROUTING.destinations["resend-mail"], endpoint },
  };
  return { ...TEST_ROUTING, destinations };
}

export function testBindings(receiverPort: number) {
  const base = `http://127.0.0.1:${receiverPort}`;
  return {
    GITPLE_SECRET: TEST_SECRET,
    GITPLE_SECRET_PREVIOUS: TEST_SECRET_PREVIOUS,
    ROUTING: withResendEndpoint(`${base}${HOOKS["resend-mail"]}`),
    RESEND_API_KEY: TEST_RESEND_KEY,
    SLACK_BOT_TOKEN: TEST_SLACK_BOT_TOKEN,
    SLACK_MAIN_URL: `${base}${HOOKS["main-slack"]}`,
    SLACK_SECOND_URL: `${base}${HOOKS["second-slack"]}`,
    SLACK_VIP_URL: `${base}${HOOKS["vip-slack"]}`,
    SLACK_OPS_URL: `${base}${HOOKS.ops}`,
    WEBHOOK_URL: `${base}${HOOKS.webhook}`,
    WEBHOOK_SIGNED_URL: `${base}${HOOKS["webhook-signed"]}`,
    WEBHOOK_ENVELOPE_URL: `${base}${HOOKS["webhook-envelope"]}`,
    WEBHOOK_SIGNING_SECRET,
    WEBHOOK_TOKEN,
    DISCORD_URL: `${base}${HOOKS.discord}`,
    TEAMS_URL: `${base}${HOOKS.teams}`,
    GCHAT_URL: `${base}${HOOKS.gchat}`,
    TEST_RECEIVER: base,
    ADMIN_TOKEN,
    // Bound so the secrets check covers them; only tests that add [vars.ROUTING.gitple] read them.
    GITPLE_API_SECRET: GITPLE_TEST_API_SECRET,
    GITPLE_API_SECRET_WRONG: GITPLE_WRONG_API_SECRET,
  };
}

/**
 * The local `send_email` bindings (miniflare writes each message it is given
 * to an .eml file; the fake receiver's GET /__mail reads them back):
 * EMAIL sends anywhere, EMAIL_ALLOWLIST only to allowed@example.com, so a
 * test can see the binding refuse a recipient.
 */
export const TEST_EMAIL_BINDINGS = [
  { name: "EMAIL" },
  { name: "EMAIL_ALLOWLIST", allowed_destination_addresses: ["allowed@example.com"] },
];
