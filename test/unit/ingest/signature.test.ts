import { describe, expect, it } from "vitest";
import { signBody, verifySignature } from "../../../src/ingest/signature.ts";

const enc = (s: string) => new TextEncoder().encode(s);

// GitHub's documented test vector for X-Hub-Signature-256.
const KAT = {
  secret: "It's a Secret to Everybody",
  body: "Hello, World!",
  signature: "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17",
};

describe("verifySignature", () => {
  it("accepts the known-answer vector", async () => {
    expect(await signBody(KAT.secret, KAT.body)).toBe(KAT.signature);
    expect(await verifySignature(KAT.signature, enc(KAT.body), [KAT.secret])).toBe(true);
  });

  it("accepts upper-case hex", async () => {
    const upper = `sha256=${KAT.signature.slice(7).toUpperCase()}`;
    expect(await verifySignature(upper, enc(KAT.body), [KAT.secret])).toBe(true);
  });

  it.each([
    ["missing", null],
    ["empty", ""],
    ["wrong prefix", KAT.signature.replace("sha256=", "sha1=")],
    ["no prefix", KAT.signature.slice(7)],
    ["short", KAT.signature.slice(0, -2)],
    ["long", `${KAT.signature}00`],
    ["non-hex", `${KAT.signature.slice(0, -1)}g`],
    ["repeated header (joined by fetch)", `${KAT.signature}, ${KAT.signature}`],
    ["whitespace inside", KAT.signature.replace("=", "= ")],
    ["wrong signature", `sha256=${"0".repeat(64)}`],
  ])("rejects a %s header", async (_name, header) => {
    expect(await verifySignature(header, enc(KAT.body), [KAT.secret])).toBe(false);
  });

  it("rejects a wrong secret and a tampered body", async () => {
    expect(await verifySignature(KAT.signature, enc(KAT.body), ["another secret"])).toBe(false);
    expect(await verifySignature(KAT.signature, enc("Hello, World?"), [KAT.secret])).toBe(false);
    expect(await verifySignature(KAT.signature, enc(`${KAT.body}\n`), [KAT.secret])).toBe(false);
  });

  it("accepts a signature made with any of several secrets (rotation)", async () => {
    expect(await verifySignature(KAT.signature, enc(KAT.body), ["new secret", KAT.secret])).toBe(true);
  });

  it("ignores empty secrets instead of accepting an HMAC with an empty key", async () => {
    // HMAC-SHA256 of the body under an empty key (computed independently): a valid MAC that must not pass.
    const withEmptyKey = "sha256=2bbcfa9524f3218c7a34b30e6936f8b1a4516cb097f1a85a1c7d98b5977ec769";
    expect(await verifySignature(withEmptyKey, enc(KAT.body), [""])).toBe(false);
    expect(await verifySignature(withEmptyKey, enc(KAT.body), ["", "x"])).toBe(false);
    expect(await verifySignature(KAT.signature, enc(KAT.body), [])).toBe(false);
  });

  it("takes secrets verbatim: spaces, commas and non-ASCII characters, over a multibyte body", async () => {
    const secret = " 깃플, secret with spaces ";
    const body = '{"note":"상담 종료 — 고객 만족 😊"}';
    const signature = await signBody(secret, body);
    expect(await verifySignature(signature, enc(body), [secret])).toBe(true);
    expect(await verifySignature(signature, enc(body), [secret.trim()])).toBe(false);
  });
});
