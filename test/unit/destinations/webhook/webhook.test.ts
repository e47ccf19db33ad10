import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { secretFieldsOf } from "../../../../src/config/shared.ts";
import type { SendContext } from "../../../../src/destinations/contract.ts";
import { type DestinationConfig, secretNamesOf } from "../../../../src/destinations/registry.ts";
import type { WebhookDestinationConfig } from "../../../../src/destinations/webhook/config.ts";
import { webhookBody } from "../../../../src/destinations/webhook/format.ts";
import { webhookKind } from "../../../../src/destinations/webhook/index.ts";
import { viewEvent } from "../../../../src/event/view.ts";
import { signBody, verifySignature } from "../../../../src/ingest/signature.ts";
import { validateRouting } from "../../../../src/routing/load.ts";
import type { RoutingConfig } from "../../../../src/routing/types.ts";
import message from "../../../fixtures/events/send_external_message.json";
import close from "../../../fixtures/events/session_state_close.json";
import inprogress from "../../../fixtures/events/session_state_inprogress.json";
import open from "../../../fixtures/events/session_state_open.json";

const sendWebhook = webhookKind.deliver;

const base = (env as unknown as Record<string, string>).TEST_RECEIVER;
const now = new Date("2026-03-01T12:00:00.000Z");
const hook: WebhookDestinationConfig = { type: "webhook", url_secret: "ERP_URL", body: "event" };

async function received(marker: string): Promise<{ path: string; headers: Record<string, string>; body: string }[]> {
  return (await fetch(`${base}/__received?match=${marker}`)).json();
}

describe("webhookBody", () => {
  // Odd spacing, key order and number formats that a parse + stringify would change.
  const raw = '{ "type":"session_state_close",  "triggerId":"t1", "n": 1.50, "s":"\\u00e9 가" }';

  it("event: the payload byte for byte", () => {
    expect(webhookBody(hook, { raw, destination: "erp", rules: ["closes"], now })).toBe(raw);
  });

  it.each([
    ["session_state_open", open],
    ["session_state_inprogress", inprogress],
    ["session_state_close", close],
    ["send_external_message", message],
  ])("%s: the event as sent, or inside the envelope", (_, fixture) => {
    const text = JSON.stringify(fixture, null, 2);
    expect(webhookBody(hook, { raw: text, destination: "erp", rules: [], now })).toBe(text);
    const envelope = webhookBody({ ...hook, body: "envelope" }, { raw: text, destination: "erp", rules: ["r"], now });
    expect(envelope).toBe(`{"event":${text},"rule":"r","destination":"erp","deliveredAt":"2026-03-01T12:00:00.000Z"}`);
    expect(JSON.parse(envelope).event).toEqual(fixture);
  });

  it.each<[string, string[], string]>([
    ["the first matched rule", ["closes", "vip"], "closes"],
    ["fallback when no rule sent it", [], "fallback"],
    ["a rule name with quotes, escaped", ['say "hi"'], 'say "hi"'],
  ])("envelope: %s", (_, rules, rule) => {
    const body = webhookBody({ ...hook, body: "envelope" }, { raw, destination: "erp-1", rules, now });
    expect(body).toBe(
      `{"event":${raw},"rule":${JSON.stringify(rule)},"destination":"erp-1","deliveredAt":"2026-03-01T12:00:00.000Z"}`,
    );
    expect(JSON.parse(body)).toEqual({
      event: JSON.parse(raw),
      rule,
      destination: "erp-1",
      deliveredAt: "2026-03-01T12:00:00.000Z",
    });
  });
});

describe("webhook config", () => {
  const secrets = (name: string) => (name.startsWith("UNSET") ? undefined : "set");
  const validate = (destination: Record<string, unknown>) =>
    validateRouting({ destinations: { x: { type: "webhook", url_secret: "ERP_URL", ...destination } } }, secrets);

  it("applies defaults and keeps headers", () => {
    const result = validate({
      signing_secret: "ERP_SIGN",
      headers: { "X-Api": "v1", Authorization: { secret: "ERP_TOKEN" } },
    });
    expect(result.ok && result.value.destinations.x).toEqual({
      type: "webhook",
      url_secret: "ERP_URL",
      body: "event",
      signing_secret: "ERP_SIGN",
      headers: { "X-Api": "v1", Authorization: { secret: "ERP_TOKEN" } },
    });
  });

  it.each<[string, Record<string, unknown>, string[]]>([
    [
      "Content-Type header",
      { headers: { "Content-Type": "text/plain" } },
      ['destinations.x.headers: header "Content-Type" is set by the relay and cannot be configured'],
    ],
    [
      "signature header, any case",
      { headers: { "x-hub-SIGNATURE": "sha256=0" } },
      ['destinations.x.headers: header "x-hub-SIGNATURE" is set by the relay and cannot be configured'],
    ],
    [
      "Host header",
      { headers: { Host: "evil" } },
      ['destinations.x.headers: header "Host" is set by the relay and cannot be configured'],
    ],
    [
      "header name with a space",
      { headers: { "X Api": "v" } },
      ['destinations.x.headers: invalid header name "X Api"'],
    ],
    [
      "header value with CRLF",
      { headers: { "X-Api": "v\r\nX-Injected: 1" } },
      ["destinations.x.headers.X-Api: must be printable ASCII on one line"],
    ],
    [
      "header value non-ASCII",
      { headers: { "X-Api": "값" } },
      ["destinations.x.headers.X-Api: must be printable ASCII on one line"],
    ],
    [
      "header value a number",
      { headers: { "X-Api": 1 } },
      ['destinations.x.headers.X-Api: must be a string or { secret = "NAME" }'],
    ],
    [
      "header value a table without secret",
      { headers: { "X-Api": { value: "v" } } },
      ['destinations.x.headers.X-Api: must be a string or { secret = "NAME" }'],
    ],
    ["headers a list", { headers: ["X-Api: v"] }, ["destinations.x.headers: must be an object (a TOML table)"]],
    [
      "header secret not set",
      { headers: { Authorization: { secret: "UNSET_TOKEN" } } },
      ['destinations.x.headers.Authorization: secret "UNSET_TOKEN" is not set (wrangler secret put UNSET_TOKEN)'],
    ],
    [
      "header secret badly named",
      { headers: { Authorization: { secret: "erp-token" } } },
      [
        'destinations.x.headers.Authorization: invalid secret name "erp-token" (use letters, digits and "_", not starting with a digit)',
      ],
    ],
    [
      "signing secret not set",
      { signing_secret: "UNSET_SIGN" },
      ['destinations.x.signing_secret: secret "UNSET_SIGN" is not set (wrangler secret put UNSET_SIGN)'],
    ],
    ["unknown body", { body: "raw" }, ['destinations.x.body: must be "event" or "envelope"']],
    [
      "a template",
      { template: { title: "x" } },
      ["destinations.x.template: templates do not apply to webhooks (a webhook posts data, not wording)"],
    ],
    ["include_contact", { include_contact: true }, ['destinations.x: unknown key "include_contact"']],
  ])("rejects %s", (_, destination, expected) => {
    expect(validate(destination)).toEqual({ ok: false, error: expected });
  });

  it("lists header secrets with the others", () => {
    const dest = {
      type: "webhook",
      url_secret: "ERP_URL",
      body: "event",
      signing_secret: "ERP_SIGN",
      headers: { "X-Api": "v1", Authorization: { secret: "ERP_TOKEN" }, "X-Key": { secret: "ERP_KEY" } },
    } as const;
    expect(secretFieldsOf(dest)).toEqual([
      ["url_secret", "ERP_URL"],
      ["signing_secret", "ERP_SIGN"],
      ["headers.Authorization", "ERP_TOKEN"],
      ["headers.X-Key", "ERP_KEY"],
    ]);
    expect(secretNamesOf(dest as DestinationConfig)).toEqual(["ERP_URL", "ERP_SIGN", "ERP_TOKEN", "ERP_KEY"]);
  });
});

describe("sendWebhook, through the fake receiver", () => {
  const SIGNING = "erp signing secret, ünïcödé";

  function context(marker: string, secrets: Record<string, string>, rules: string[] = []): SendContext {
    const raw = `{"type":"session_state_close","triggerId":"${marker}",  "note":"가 😀"}`;
    return {
      event: viewEvent(JSON.parse(raw)),
      raw,
      destination: "erp",
      rules,
      config: {} as RoutingConfig,
      secret: (name) => secrets[name] || undefined,
      env: env as Env,
      timeoutMs: 5000,
    };
  }

  it("posts the payload byte for byte, signed over those bytes, with the configured headers", async () => {
    const marker = `webhook-${crypto.randomUUID()}`;
    const ctx = context(marker, { ERP_URL: `${base}/hook/erp`, ERP_SIGN: SIGNING, ERP_TOKEN: "Bearer abc" });
    const dest: WebhookDestinationConfig = {
      ...hook,
      signing_secret: "ERP_SIGN",
      headers: { "X-Api": "v1", Authorization: { secret: "ERP_TOKEN" } },
    };
    expect(await sendWebhook(dest, ctx)).toEqual({ ok: true, status: 200 });
    const [req, ...more] = await received(marker);
    expect(more).toEqual([]);
    expect(req?.path).toBe("/hook/erp");
    expect(req?.body).toBe(ctx.raw);
    expect(req?.headers["content-type"]).toBe("application/json");
    expect(req?.headers["x-api"]).toBe("v1");
    expect(req?.headers.authorization).toBe("Bearer abc");
    expect(req?.headers["x-hub-signature"]).toBe(await signBody(SIGNING, ctx.raw));
    expect(await verifySignature(req?.headers["x-hub-signature"], new TextEncoder().encode(req?.body), [SIGNING])).toBe(
      true,
    );
  });

  it("signs the envelope it sends, and sends no signature without a signing secret", async () => {
    const marker = `envelope-${crypto.randomUUID()}`;
    const ctx = context(marker, { ERP_URL: `${base}/hook/erp-envelope`, ERP_SIGN: SIGNING }, ["closes"]);
    expect(await sendWebhook({ ...hook, body: "envelope", signing_secret: "ERP_SIGN" }, ctx)).toEqual({
      ok: true,
      status: 200,
    });
    const [req] = await received(marker);
    const envelope = JSON.parse(req?.body ?? "{}");
    expect(envelope).toEqual({
      event: JSON.parse(ctx.raw),
      rule: "closes",
      destination: "erp",
      deliveredAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
    });
    expect(req?.body.startsWith(`{"event":${ctx.raw},`)).toBe(true);
    expect(await verifySignature(req?.headers["x-hub-signature"], new TextEncoder().encode(req?.body), [SIGNING])).toBe(
      true,
    );

    const unsigned = `unsigned-${crypto.randomUUID()}`;
    await sendWebhook(hook, context(unsigned, { ERP_URL: `${base}/hook/erp` }));
    const [plain] = await received(unsigned);
    expect(plain?.headers).not.toHaveProperty("x-hub-signature");
  });

  it.each<[string, WebhookDestinationConfig, Record<string, string>, string]>([
    ["URL secret missing", hook, {}, 'URL secret "ERP_URL" is not set'],
    [
      "signing secret missing",
      { ...hook, signing_secret: "ERP_SIGN" },
      { ERP_URL: "http://127.0.0.1:1/x" },
      'signing secret "ERP_SIGN" is not set',
    ],
    [
      "header secret missing",
      { ...hook, headers: { Authorization: { secret: "ERP_TOKEN" } } },
      { ERP_URL: "http://127.0.0.1:1/x" },
      'header "Authorization": secret "ERP_TOKEN" is not set',
    ],
    [
      "header secret holding a line break",
      { ...hook, headers: { Authorization: { secret: "ERP_TOKEN" } } },
      { ERP_URL: "http://127.0.0.1:1/x", ERP_TOKEN: "Bearer a\r\nX-Injected: 1" },
      'header "Authorization": its value cannot be sent in a header',
    ],
  ])("fails for good, without posting, when the %s", async (_, dest, secrets, reason) => {
    const outcome = await sendWebhook(dest, context("t-missing", secrets));
    expect(outcome).toEqual({ ok: false, retryable: false, reason });
    expect(JSON.stringify(outcome)).not.toContain("X-Injected");
  });
});
