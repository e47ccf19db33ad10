// Properties of the signature check over generated headers, bodies and secrets:
// it never throws, and it accepts a header exactly when it is `sha256=` and the
// HMAC-SHA256 of the body under one of the (non-empty) secrets, in either case.
// The expected answer is computed here independently with WebCrypto's `sign`.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { verifySignature } from "../../../src/ingest/signature.ts";

const enc = new TextEncoder();

async function hmacHex(secret: string, body: Uint8Array): Promise<string> {
  const key = await crypto.subtle.importKey("raw", enc.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, [
    "sign",
  ]);
  return [...new Uint8Array(await crypto.subtle.sign("HMAC", key, body))]
    .map((b) => b.toString(16).padStart(2, "0"))
    .join("");
}

/** What the verifier must answer, from first principles. */
async function expected(header: unknown, body: Uint8Array, secrets: readonly string[]): Promise<boolean> {
  if (typeof header !== "string") return false;
  const match = /^sha256=([0-9a-fA-F]{64})$/.exec(header);
  if (!match?.[1]) return false;
  for (const secret of secrets) {
    if (secret !== "" && (await hmacHex(secret, body)) === match[1].toLowerCase()) return true;
  }
  return false;
}

const secret = fc.oneof(
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.constantFrom("", " ", "It's a Secret to Everybody", "깃플, 비밀 with spaces", "\u0000", "\ud800"),
);
const secrets = fc.array(secret, { maxLength: 3 });
const body = fc.oneof(
  fc.uint8Array({ maxLength: 300 }),
  fc.string({ unit: "binary" }).map((s) => enc.encode(s)),
);
const hex64 = fc.stringMatching(/^[0-9a-fA-F]{64}$/);
const junkHeader = fc.oneof(
  fc.string({ unit: "binary" }),
  hex64,
  hex64.map((h) => `sha256=${h}`),
  hex64.map((h) => `sha1=${h}`),
  hex64.map((h) => ` sha256=${h}`),
  hex64.map((h) => `sha256=${h}, sha256=${h}`),
  fc.constantFrom(null, undefined, "", "sha256=", "sha256"),
);

/** Ways to change a right header: flip a digit, drop or add one, change the prefix or its case. */
const mutation = fc.oneof(
  fc.record({ kind: fc.constant("digit" as const), at: fc.nat(63), by: fc.integer({ min: 1, max: 15 }) }),
  fc.constantFrom(
    { kind: "drop" as const },
    { kind: "add" as const },
    { kind: "prefix" as const },
    { kind: "upper-prefix" as const },
    { kind: "newline" as const },
  ),
);

function mutate(header: string, m: { kind: string; at?: number; by?: number }): string {
  const digits = header.slice(7);
  switch (m.kind) {
    case "digit": {
      const at = m.at ?? 0;
      const changed = ((Number.parseInt(digits[at] ?? "0", 16) + (m.by ?? 1)) % 16).toString(16);
      return `sha256=${digits.slice(0, at)}${changed}${digits.slice(at + 1)}`;
    }
    case "drop":
      return header.slice(0, -1);
    case "add":
      return `${header}0`;
    case "prefix":
      return `sha512=${digits}`;
    case "upper-prefix":
      return `SHA256=${digits}`;
    default:
      return `${header}\n`;
  }
}

describe("verifySignature (properties)", () => {
  it("never throws, and accepts exactly what the definition accepts, for any header, body and secrets", async () => {
    await fc.assert(
      fc.asyncProperty(junkHeader, body, secrets, async (header, bytes, keys) => {
        const answer = await verifySignature(header, bytes, keys);
        expect(answer).toBe(await expected(header, bytes, keys));
      }),
      { numRuns: 300 },
    );
  });

  it("accepts the right HMAC under any of the secrets, in lower, upper or mixed case", async () => {
    await fc.assert(
      fc.asyncProperty(
        body,
        fc.array(
          secret.filter((s) => s !== ""),
          { minLength: 1, maxLength: 3 },
        ),
        fc.nat(),
        fc.array(fc.boolean(), { minLength: 64, maxLength: 64 }),
        async (bytes, keys, pick, upper) => {
          const hex = await hmacHex(keys[pick % keys.length] ?? "", bytes);
          const header = `sha256=${[...hex].map((c, i) => (upper[i] ? c.toUpperCase() : c)).join("")}`;
          expect(await verifySignature(header, bytes, keys)).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("rejects any change to a right header, and the right header over any other body or secret", async () => {
    await fc.assert(
      fc.asyncProperty(
        body,
        secret.filter((s) => s !== ""),
        mutation,
        fc.uint8Array({ minLength: 1, maxLength: 4 }),
        async (bytes, key, m, extra) => {
          const header = `sha256=${await hmacHex(key, bytes)}`;
          expect(await verifySignature(mutate(header, m), bytes, [key])).toBe(false);
          expect(await verifySignature(header, new Uint8Array([...bytes, ...extra]), [key])).toBe(false);
          const other = `${key}x`;
          expect(await verifySignature(header, bytes, [other])).toBe(
            enc.encode(other).join() === enc.encode(key).join(),
          );
        },
      ),
      { numRuns: 200 },
    );
  });

  it("never accepts anything with no secrets, or only empty ones", async () => {
    await fc.assert(
      fc.asyncProperty(junkHeader, body, fc.constantFrom([], [""], ["", ""]), async (header, bytes, keys) => {
        expect(await verifySignature(header, bytes, keys)).toBe(false);
      }),
      { numRuns: 100 },
    );
  });
});
