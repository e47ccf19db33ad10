import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { SendContext } from "../../../../src/destinations/contract.ts";
import { classifySendError } from "../../../../src/destinations/email/cloudflare.ts";
import type { EmailDestinationConfig } from "../../../../src/destinations/email/config.ts";
import { sendEmail } from "../../../../src/destinations/email/send.ts";
import { sendTo } from "../../../../src/destinations/registry.ts";
import { viewEvent } from "../../../../src/event/view.ts";
import type { RoutingConfig } from "../../../../src/routing/types.ts";
import { parseMime } from "../../../support/mime.ts";
import { mailAtLeast, received, script } from "../../../support/worker.ts";

const base = (env as unknown as Record<string, string>).TEST_RECEIVER;
const config = { rules: [], destinations: {} } as unknown as RoutingConfig;

const cloudflare: EmailDestinationConfig = {
  type: "email",
  provider: "cloudflare",
  from: "Gitple 알림 <relay@example.com>",
  to: ["ops@example.com", "cs@example.com"],
  binding: "EMAIL",
  include_contact: false,
};
const resend: EmailDestinationConfig = {
  type: "email",
  provider: "resend",
  from: "Gitple <relay@example.com>",
  to: ["ops@example.com", "cs@example.com"],
  binding: "EMAIL",
  api_key_secret: "RESEND_KEY",
  endpoint: `${base}/resend/emails`,
  include_contact: false,
};

function context(triggerId: string, extra: Partial<SendContext> = {}): SendContext {
  const event = viewEvent({
    type: "session_state_close",
    triggerId,
    appCode: "shop",
    session: { id: "s-1", reason: "userCancel", note: "환불 요청 </script>" },
  });
  return {
    event,
    raw: JSON.stringify(event),
    destination: "team-mail",
    rules: [],
    config,
    secret: (name) => (name === "RESEND_KEY" ? "re_secret_key" : undefined),
    env: env as Env,
    timeoutMs: 5000,
    ...extra,
  };
}

/** A stand-in binding that records every EmailMessage and answers as told, recipient by recipient. */
function fakeBinding(answers: Array<"ok" | Error | "hang"> = []) {
  const sent: { from: string; to: string }[] = [];
  const binding = {
    send(message: { from: string; to: string }) {
      sent.push({ from: message.from, to: message.to });
      const answer = answers[sent.length - 1] ?? "ok";
      if (answer === "hang") return new Promise(() => {});
      return answer === "ok" ? Promise.resolve({ messageId: "<x@example.com>" }) : Promise.reject(answer);
    },
  };
  return { sent, env: { FAKE_MAIL: binding } as unknown as Env };
}

const coded = (code: string, message: string) => Object.assign(new Error(message), { code });

describe("classifySendError: the send_email retry table", () => {
  it.each<[string, unknown, boolean, string, number | undefined]>([
    [
      "rate limited",
      coded("E_RATE_LIMIT_EXCEEDED", "Rate limit exceeded"),
      true,
      "E_RATE_LIMIT_EXCEEDED: Rate limit exceeded",
      60,
    ],
    [
      "daily limit",
      coded("E_DAILY_LIMIT_EXCEEDED", "Daily limit exceeded"),
      true,
      "E_DAILY_LIMIT_EXCEEDED: Daily limit exceeded",
      3600,
    ],
    [
      "internal error",
      coded("E_INTERNAL_SERVER_ERROR", "Internal"),
      true,
      "E_INTERNAL_SERVER_ERROR: Internal",
      undefined,
    ],
    ["delivery failed", coded("E_DELIVERY_FAILED", "SMTP 451"), true, "E_DELIVERY_FAILED: SMTP 451", undefined],
    [
      "sender not verified",
      coded("E_SENDER_NOT_VERIFIED", "Sender domain not verified"),
      false,
      "E_SENDER_NOT_VERIFIED: Sender domain not verified",
      undefined,
    ],
    [
      "recipient not allowed",
      coded("E_RECIPIENT_NOT_ALLOWED", "Recipient not in allowed list"),
      false,
      "E_RECIPIENT_NOT_ALLOWED: Recipient not in allowed list",
      undefined,
    ],
    [
      "recipient suppressed",
      coded("E_RECIPIENT_SUPPRESSED", "Suppressed"),
      false,
      "E_RECIPIENT_SUPPRESSED: Suppressed",
      undefined,
    ],
    ["validation error", coded("E_VALIDATION_ERROR", "Invalid"), false, "E_VALIDATION_ERROR: Invalid", undefined],
    [
      "header not allowed",
      coded("E_HEADER_NOT_ALLOWED", "Header 'X' is not allowed"),
      false,
      "E_HEADER_NOT_ALLOWED: Header 'X' is not allowed",
      undefined,
    ],
    ["a code we do not know", coded("E_SOMETHING_NEW", "New"), false, "E_SOMETHING_NEW: New", undefined],
    [
      "Email Routing: unverified destination",
      new Error("destination address is not a verified address"),
      false,
      "destination address is not a verified address",
      undefined,
    ],
    [
      "local binding: recipient not allowed",
      new Error("email to x@example.com not allowed"),
      false,
      "email to x@example.com not allowed",
      undefined,
    ],
    [
      "local binding: From mismatch",
      new Error("From: header does not match mail from"),
      false,
      "From: header does not match mail from",
      undefined,
    ],
    [
      "local binding: bad message",
      new Error("could not parse email: boom"),
      false,
      "could not parse email: boom",
      undefined,
    ],
    ["an error we do not know", new Error("Network connection lost."), true, "Network connection lost.", undefined],
    ["our timeout", new Error("timed out after 10s"), true, "timed out after 10s", undefined],
    ["not an Error", "boom", true, "boom", undefined],
    ["an empty message", new Error(""), true, "unknown error", undefined],
  ])("%s", (_, error, retryable, reason, retryAfterSeconds) => {
    const expected = { ok: false, retryable, reason };
    expect(classifySendError(error)).toStrictEqual(
      retryAfterSeconds === undefined ? expected : { ...expected, retryAfterSeconds },
    );
  });

  it("quotes at most 200 characters, on one line, without URLs", () => {
    const outcome = classifySendError(new Error(`failed\r\nat https://api.example/x?token=secret ${"y".repeat(500)}`));
    expect(outcome.reason).toBe(`failed at [url] ${"y".repeat(184)}`);
  });
});

describe("sendEmail through the send_email binding", () => {
  const dest = { ...cloudflare, binding: "FAKE_MAIL" };

  it("sends the same message once per recipient, in order, from the sender's address", async () => {
    const fake = fakeBinding();
    expect(await sendEmail(dest, context("t-order", { env: fake.env }))).toEqual({ ok: true, status: 202 });
    expect(fake.sent).toEqual([
      { from: "relay@example.com", to: "ops@example.com" },
      { from: "relay@example.com", to: "cs@example.com" },
    ]);
  });

  it("stops at the first failing recipient and says which", async () => {
    const fake = fakeBinding(["ok", coded("E_RECIPIENT_SUPPRESSED", "Suppressed"), "ok"]);
    const three = { ...dest, to: ["a@example.com", "b@example.com", "c@example.com"] };
    expect(await sendEmail(three, context("t-stop", { env: fake.env }))).toEqual({
      ok: false,
      retryable: false,
      reason: "send_email to recipient 2 of 3 failed: E_RECIPIENT_SUPPRESSED: Suppressed",
    });
    expect(fake.sent.map((m) => m.to)).toEqual(["a@example.com", "b@example.com"]);
  });

  it("keeps the retry delay a rate limit asks for", async () => {
    const fake = fakeBinding([coded("E_RATE_LIMIT_EXCEEDED", "Rate limit exceeded")]);
    expect(await sendEmail(dest, context("t-rate", { env: fake.env }))).toEqual({
      ok: false,
      retryable: true,
      reason: "send_email to recipient 1 of 2 failed: E_RATE_LIMIT_EXCEEDED: Rate limit exceeded",
      retryAfterSeconds: 60,
    });
  });

  it("times out a binding that never answers, as retryable", async () => {
    const fake = fakeBinding(["hang"]);
    expect(await sendEmail(dest, context("t-hang", { env: fake.env, timeoutMs: 200 }))).toEqual({
      ok: false,
      retryable: true,
      reason: "send_email to recipient 1 of 2 failed: timed out after 0.2s",
    });
  });

  it.each<[string, Record<string, unknown>]>([
    ["missing", {}],
    ["a string var", { FAKE_MAIL: "x" }],
  ])("fails for good when the binding is %s", async (_, bindings) => {
    expect(await sendEmail(dest, context("t-nobinding", { env: bindings as unknown as Env }))).toEqual({
      ok: false,
      retryable: false,
      reason: 'send_email binding "FAKE_MAIL" is not configured',
    });
  });

  it("hands the local binding a MIME message it accepts and writes to an .eml file", async () => {
    const triggerId = `eml-${crypto.randomUUID()}`;
    expect(
      await sendTo({ ...cloudflare, subject: "[Gitple] {{session.reason}} 세션 종료" }, context(triggerId)),
    ).toEqual({
      ok: true,
      status: 202,
    });
    const files = await mailAtLeast(triggerId, 2);
    expect(files).toHaveLength(2);
    for (const file of files) {
      expect(file.path).toMatch(/\/miniflare-[0-9a-f]+\/email\/email\/[^/]+\.eml$/);
      const mime = parseMime(file.raw.replace(/\r?\n/g, "\r\n"));
      expect(mime.header("From")).toBe("Gitple 알림 <relay@example.com>");
      expect(mime.header("To")).toBe("<ops@example.com>, <cs@example.com>");
      expect(mime.header("Subject")).toBe("[Gitple] userCancel 세션 종료");
      expect(mime.header("X-Gitple-Trigger-Id")).toBe(triggerId);
      expect(mime.header("Auto-Submitted")).toBe("auto-generated");
      // The local binding, like Cloudflare, replaces our Message-ID with its own.
      expect(mime.header("Message-ID")).toMatch(/^<[A-Za-z0-9]+@example\.com>$/);
      expect(mime.header("Date")).toMatch(/^\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} \+0000$/);
      const [text, html] = mime.parts;
      expect(text?.text).toContain("Note:\r\n환불 요청 </script>\r\n");
      expect(html?.text).toContain("환불 요청 &lt;/script&gt;");
    }
  });

  it("fails for good when the local binding refuses a recipient (allowed_destination_addresses)", async () => {
    const triggerId = `refused-${crypto.randomUUID()}`;
    const dest2 = { ...cloudflare, binding: "EMAIL_ALLOWLIST", to: ["allowed@example.com", "other@example.com"] };
    expect(await sendEmail(dest2, context(triggerId))).toEqual({
      ok: false,
      retryable: false,
      reason: "send_email to recipient 2 of 2 failed: email to other@example.com not allowed",
    });
    // The first recipient was sent before the second failed.
    expect(await mailAtLeast(triggerId, 1)).toHaveLength(1);
  });
});

describe("sendEmail through Resend (the fake receiver stands in)", () => {
  it("POSTs {from, to, subject, text, html} with the key and a stable idempotency key", async () => {
    const triggerId = `resend-${crypto.randomUUID()}`;
    const ctx = context(triggerId);
    expect(await sendEmail(resend, ctx)).toEqual({ ok: true, status: 200 });
    expect(await sendEmail(resend, ctx)).toEqual({ ok: true, status: 200 });
    const [first, second, ...more] = await received(triggerId);
    expect(more).toEqual([]);
    expect(first?.path).toBe("/resend/emails");
    expect(first?.headers.authorization).toBe("Bearer re_secret_key");
    expect(first?.headers["content-type"]).toBe("application/json");
    expect(first?.headers["idempotency-key"]).toMatch(/^gitple-relay\/[0-9a-f]{32}$/);
    expect(second?.headers["idempotency-key"]).toBe(first?.headers["idempotency-key"]);
    const body = JSON.parse(first?.body ?? "{}");
    expect(Object.keys(body)).toEqual(["from", "to", "subject", "text", "html", "headers"]);
    expect(body).toMatchObject({
      from: "Gitple <relay@example.com>",
      to: ["ops@example.com", "cs@example.com"],
      subject: "Session closed (userCancel)",
      headers: {
        "Auto-Submitted": "auto-generated",
        "X-Gitple-Event-Type": "session_state_close",
        "X-Gitple-Trigger-Id": triggerId,
      },
    });
    expect(body.text).toContain("Note:\n환불 요청 </script>\n");
    expect(body.html).toContain("환불 요청 &lt;/script&gt;");
    // Another destination, another key.
    await sendEmail(resend, { ...ctx, destination: "other-mail" });
    const third = (await received(triggerId))[2];
    expect(third?.headers["idempotency-key"]).not.toBe(first?.headers["idempotency-key"]);
  });

  it.each<[number, Record<string, string>, string, boolean, number | undefined]>([
    [422, {}, '{"statusCode":422,"name":"validation_error","message":"Invalid `to` field."}', false, undefined],
    [401, {}, '{"statusCode":401,"name":"missing_api_key","message":"Missing API key"}', false, undefined],
    [403, {}, '{"statusCode":403,"name":"invalid_api_key","message":"API key is invalid"}', false, undefined],
    [429, { "retry-after": "2" }, '{"statusCode":429,"name":"rate_limit_exceeded"}', true, 2],
    [500, {}, '{"statusCode":500,"name":"internal_server_error"}', true, undefined],
  ])(
    "classifies HTTP %i through the shared table, quoting Resend's answer",
    async (status, headers, answer, retryable, after) => {
      const triggerId = `resend-${status}-${crypto.randomUUID()}`;
      await script(triggerId, [{ status, headers, body: answer }]);
      const expected = { ok: false, retryable, status, reason: `HTTP ${status}: ${answer}` };
      expect(await sendEmail(resend, context(triggerId))).toStrictEqual(
        after === undefined ? expected : { ...expected, retryAfterSeconds: after },
      );
    },
  );

  it("fails for good, naming the secret, when the key is not set", async () => {
    expect(await sendEmail({ ...resend, api_key_secret: "MISSING_KEY" }, context("t-nokey"))).toEqual({
      ok: false,
      retryable: false,
      reason: 'API key secret "MISSING_KEY" is not set',
    });
  });
});
