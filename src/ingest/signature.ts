/**
 * Gitple's signature check. Gitple sends `X-Hub-Signature: sha256=<hex>`, the
 * HMAC-SHA256 of the raw body with the shared secret (docs/gitple-events.md,
 * "Headers"). As in octokit/webhooks-methods: the header's shape is matched
 * first (`^sha256=[0-9a-fA-F]{64}$`), then `crypto.subtle.verify` compares in
 * constant time over the exact body bytes. Bad input is `false`, never a throw.
 *
 * Several secrets may be valid at once (current, then previous) so a secret
 * can be rotated without downtime; a secret is used verbatim as UTF-8 bytes,
 * whatever characters it holds (keys come from src/lib/hmac.ts, cached).
 */
import { hmacKey } from "../lib/hmac.ts";

/** Signing lives in src/lib/hmac.ts (webhook destinations sign too); re-exported for the CLIs and tests. */
export { signBody } from "../lib/hmac.ts";

const SIGNATURE = /^sha256=([0-9a-fA-F]{64})$/;

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
