/**
 * Gitple's signature check. Gitple sends `X-Hub-Signature: sha256=<hex>`, the
 * HMAC-SHA256 of the raw body with the shared secret (docs/gitple-events.md,
 * "Headers"). As in octokit/webhooks-methods: the header's shape is matched
 * first (`^sha256=[0-9a-fA-F]{64}$`), then `crypto.subtle.verify` compares in
 * constant time over the exact body bytes. Bad input is `false`, never a throw.
 *
 * Several secrets may be valid at once (current, then previous) so a secret
 * can be rotated without downtime; a secret is used verbatim as UTF-8 bytes,
 * whatever characters it holds. Imported keys are cached per secret string:
 * the trade-off is that the isolate keeps the secrets it has seen in memory,
 * which it already does through `env`.
 */

const SIGNATURE = /^sha256=([0-9a-fA-F]{64})$/;
const encoder = new TextEncoder();
const keys = new Map<string, Promise<CryptoKey>>();

function hmacKey(secret: string): Promise<CryptoKey> {
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

function hexToBytes(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/**
 * True when `header` is a well-formed `sha256=<hex>` HMAC of `body` under any of `secrets`.
 *
 * @example
 * await verifySignature("sha256=7571…3e17", new TextEncoder().encode("Hello, World!"), ["It's a Secret to Everybody"]) // true
 */
export async function verifySignature(
  header: string | null | undefined,
  body: Uint8Array,
  secrets: readonly string[],
): Promise<boolean> {
  if (typeof header !== "string") return false;
  const match = SIGNATURE.exec(header);
  if (!match?.[1]) return false;
  const signature = hexToBytes(match[1]);
  for (const secret of secrets) {
    if (secret.length === 0) continue;
    try {
      if (await crypto.subtle.verify("HMAC", await hmacKey(secret), signature, body)) return true;
    } catch {
      // A key that cannot be imported verifies nothing.
    }
  }
  return false;
}

/**
 * The header value Gitple would send for `body`: used by the `send` script,
 * by outgoing webhooks that sign what they post, and by tests.
 *
 * @example
 * await signBody("secret", bytes) // "sha256=…64 hex…"
 */
export async function signBody(secret: string, body: Uint8Array | string): Promise<string> {
  const bytes = typeof body === "string" ? encoder.encode(body) : body;
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", await hmacKey(secret), bytes));
  let hex = "";
  for (const b of mac) hex += b.toString(16).padStart(2, "0");
  return `sha256=${hex}`;
}
