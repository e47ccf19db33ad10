import { describe, expect, it } from "vitest";
import { formatMailbox, isEmailAddress, parseMailbox } from "../../../../src/destinations/email/address.ts";
import { loadRouting, validateRouting } from "../../../../src/routing/load.ts";

const secrets = (name: string) => (name === "RESEND_API_KEY" ? "re_123" : undefined);
const mail = (extra: Record<string, unknown> = {}) => ({
  type: "email",
  from: "relay@example.com",
  to: ["ops@example.com"],
  ...extra,
});
const config = (destination: unknown) => ({ destinations: { mail: destination }, fallback: ["mail"] });

describe("email addresses (the HTML standard's 'valid email address')", () => {
  it.each([
    "ops@example.com",
    "first.last+tag@sub.example.co.kr",
    "o'brien@example.com",
    "a!#$%&*/=?^_`{|}~-@example.com",
    "x@localhost",
    "x@xn--3e0b707e.kr",
    `${"a".repeat(64)}@${"b".repeat(63)}.${"c".repeat(63)}.${"d".repeat(61)}`,
  ])("accepts %j", (address) => {
    expect(isEmailAddress(address)).toBe(true);
  });

  it.each([
    "",
    "ops",
    "@example.com",
    "ops@",
    "ops@@example.com",
    "ops @example.com",
    '"ops"@example.com',
    "ops@example.com\r\nBcc: evil@example.com",
    "ops@example.com>",
    "<ops@example.com>",
    "ops@example.com, cs@example.com",
    "ops@-example.com",
    "ops@example-.com",
    "ops@exa_mple.com",
    "ops@[127.0.0.1]",
    "김@example.com",
    "ops@한국.kr",
    `${"a".repeat(64)}@${"b".repeat(63)}.${"c".repeat(63)}.${"d".repeat(62)}`,
  ])("refuses %j", (address) => {
    expect(isEmailAddress(address)).toBe(false);
  });

  it.each([
    ["relay@example.com", { name: "", addr: "relay@example.com" }],
    ["Gitple 알림 <relay@example.com>", { name: "Gitple 알림", addr: "relay@example.com" }],
    ['"Support, Seoul" <relay@example.com>', { name: "Support, Seoul", addr: "relay@example.com" }],
    ["  <relay@example.com>  ", { name: "", addr: "relay@example.com" }],
    ["Evil\r\nBcc: x <relay@example.com>", undefined],
    ["A <b> <relay@example.com>", undefined],
    ['"A\\" <relay@example.com>', undefined],
    ["Name <not an address>", undefined],
    [`${"n".repeat(65)} <relay@example.com>`, undefined],
    ["Name relay@example.com", undefined],
  ])("parseMailbox(%j)", (text, expected) => {
    expect(parseMailbox(text)).toEqual(expected);
  });

  it.each([
    [{ name: "", addr: "a@b.c" }, "a@b.c"],
    [{ name: "Gitple 알림", addr: "a@b.c" }, "Gitple 알림 <a@b.c>"],
    [{ name: "Support, Seoul", addr: "a@b.c" }, '"Support, Seoul" <a@b.c>'],
  ])("formatMailbox(%j) → %j", (mailbox, expected) => {
    expect(formatMailbox(mailbox)).toBe(expected);
  });
});

describe("validateRouting: email destinations", () => {
  it("applies the defaults", () => {
    const result = validateRouting(config(mail()), secrets);
    expect(result.ok && result.value.destinations.mail).toEqual({
      type: "email",
      provider: "cloudflare",
      from: "relay@example.com",
      to: ["ops@example.com"],
      binding: "EMAIL",
      include_contact: false,
    });
  });

  it("accepts every field", () => {
    const full = mail({
      provider: "resend",
      from: "Gitple 알림 <relay@example.com>",
      to: ["ops@example.com", "cs@example.com"],
      subject: "[Gitple] {{type}}",
      api_key_secret: "RESEND_API_KEY",
      endpoint: "http://127.0.0.1:9999/emails",
      include_contact: true,
      template: { title: "t", text: "x" },
      session_url: "https://console.gitple.io/{{session.id}}",
    });
    const result = validateRouting(config(full), secrets);
    expect(result.ok && result.value.destinations.mail).toEqual({ ...full, binding: "EMAIL" });
  });

  it.each<[string, unknown, string[]]>([
    ["missing from", { type: "email", to: ["ops@example.com"] }, ["destinations.mail.from: is required"]],
    ["missing to", { type: "email", from: "relay@example.com" }, ["destinations.mail.to: is required"]],
    [
      "a bad sender",
      mail({ from: "relay" }),
      ['destinations.mail.from: invalid sender "relay" (expected name@example.com or "Name <name@example.com>")'],
    ],
    [
      "a sender with a line break",
      mail({ from: "Evil\nBcc: x@y.z <relay@example.com>" }),
      [
        'destinations.mail.from: invalid sender "Evil\\nBcc: x@y.z <relay@example.com>" (expected name@example.com or "Name <name@example.com>")',
      ],
    ],
    [
      "a bad recipient, with its index",
      mail({ to: ["ops@example.com", "cs team@example.com"] }),
      ['destinations.mail.to[1]: invalid email address "cs team@example.com" (expected name@example.com)'],
    ],
    [
      "a recipient with a display name",
      mail({ to: ["Ops <ops@example.com>"] }),
      ['destinations.mail.to[0]: invalid email address "Ops <ops@example.com>" (expected name@example.com)'],
    ],
    [
      "an injected recipient",
      mail({ to: ["ops@example.com\r\nBcc: evil@example.com"] }),
      [
        'destinations.mail.to[0]: invalid email address "ops@example.com\\r\\nBcc: evil@example.com" (expected name@example.com)',
      ],
    ],
    ["to not a list", mail({ to: "ops@example.com" }), ["destinations.mail.to: must be a list"]],
    ["to empty", mail({ to: [] }), ["destinations.mail.to: must not be empty"]],
    [
      "to over 50",
      mail({ to: Array.from({ length: 51 }, (_, i) => `u${i}@example.com`) }),
      ["destinations.mail.to: must list at most 50 addresses"],
    ],
    [
      "an address twice (any case)",
      mail({ to: ["ops@example.com", "OPS@example.com"] }),
      ["destinations.mail.to: lists an address twice"],
    ],
    [
      "an unknown provider",
      mail({ provider: "smtp" }),
      ['destinations.mail.provider: unknown provider "smtp" (expected one of: cloudflare, resend)'],
    ],
    ["subject not a string", mail({ subject: 1 }), ["destinations.mail.subject: must be a string"]],
    [
      "a bad binding name",
      mail({ binding: "send-email" }),
      ['destinations.mail.binding: invalid binding name "send-email" (use letters, digits and "_")'],
    ],
    [
      "resend without a key",
      mail({ provider: "resend" }),
      ['destinations.mail.api_key_secret: is required when provider = "resend"'],
    ],
    [
      "resend with a binding",
      mail({ provider: "resend", api_key_secret: "RESEND_API_KEY", binding: "EMAIL" }),
      ['destinations.mail.binding: only applies when provider = "cloudflare"'],
    ],
    [
      "resend with a key that is not set",
      mail({ provider: "resend", api_key_secret: "OTHER_KEY" }),
      ['destinations.mail.api_key_secret: secret "OTHER_KEY" is not set (wrangler secret put OTHER_KEY)'],
    ],
    [
      "cloudflare with Resend's fields",
      mail({ api_key_secret: "RESEND_API_KEY", endpoint: "https://api.resend.com/emails" }),
      [
        'destinations.mail.api_key_secret: only applies when provider = "resend"',
        'destinations.mail.endpoint: only applies when provider = "resend"',
      ],
    ],
    [
      "an endpoint that is not http(s)",
      mail({ provider: "resend", api_key_secret: "RESEND_API_KEY", endpoint: "ftp://x.example/emails" }),
      ["destinations.mail.endpoint: must be an http(s) URL"],
    ],
    ["an unknown key", mail({ cc: ["x@example.com"] }), ['destinations.mail: unknown key "cc"']],
  ])("rejects %s", (_, destination, problems) => {
    expect(validateRouting(config(destination), secrets)).toEqual({ ok: false, error: problems });
  });
});

describe("loadRouting: the send_email binding must exist", () => {
  const fakeEnv = (bindings: Record<string, unknown>) => bindings as unknown as Env;
  const routing = config(mail({ binding: "MAILER" }));

  it.each<[string, unknown]>([
    ["missing", undefined],
    ["a var, not a binding", "MAILER"],
    ["an object without send()", { get() {} }],
  ])("reports it %s", (_, binding) => {
    expect(loadRouting(fakeEnv({ ROUTING: routing, MAILER: binding }))).toEqual({
      ok: false,
      error: [
        'destinations.mail.binding: send_email binding "MAILER" is not configured (add [[send_email]] name = "MAILER" to wrangler.toml)',
      ],
    });
  });

  it("accepts a binding with send(), and does not ask Resend destinations for one", () => {
    expect(loadRouting(fakeEnv({ ROUTING: routing, MAILER: { send() {} } })).ok).toBe(true);
    const resend = config(mail({ provider: "resend", api_key_secret: "KEY" }));
    expect(loadRouting(fakeEnv({ ROUTING: resend, KEY: "re_1" })).ok).toBe(true);
  });
});
