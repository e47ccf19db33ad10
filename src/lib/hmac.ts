/**
 * HMAC-SHA256 in Gitple's `X-Hub-Signature` shape, `sha256=<hex>` (see
 * src/ingest/signature.ts for the check, and the header's spec). Here because
 * both sides use it: ingest verifies what Gitple signed, and webhook
 * destinations sign what they post, as Gitple does.
 *
 * Imported keys are cached per secret string (at most 8, then the cache
 * starts over): the trade-off is that the isolate keeps the secrets it has
 * seen in memory, which it already does through `env`.
 */
import { toHex } from "./sha256.ts";

const encoder = new TextEncoder();
const keys = new Map<string, Promise<CryptoKey>>();

/**
 * The HMAC-SHA256 key for `secret` (its UTF-8 bytes, verbatim), for signing and verifying.
 * Rejects only when WebCrypto refuses the key.
 *
 * @example
 * await crypto.subtle.verify("HMAC", await hmacKey("s3cret"), signature, body)
 */
export function hmacKey(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    if (keys.size >= 8) keys.clear();
    key = crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, [
      "sign",
      "verify",
    ]);
    keys.set(secret, key);
  }
  return key;
}

/**
 * The header value Gitple would send for `body`: used by the `send` script,
 * by outgoing webhooks that sign what they post, and by tests.
 *
 * @example
 * await signBody("It's a Secret to Everybody", "Hello, World!")
 * // "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"
 */
export async function signBody(secret: string, body: Uint8Array | string): Promise<string> {
  const bytes = typeof body === "string" ? encoder.encode(body) : body;
  return `sha256=${toHex(await crypto.subtle.sign("HMAC", await hmacKey(secret), bytes))}`;
}
