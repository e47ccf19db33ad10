/**
 * The admin API's gate. Off unless the secret `ADMIN_TOKEN` is set: then
 * every /admin path answers 404, as if it did not exist. On: a request needs
 * `Authorization: Bearer <token>` (RFC 6750 §2.1), else 401 with a
 * `WWW-Authenticate: Bearer` challenge (§3).
 *
 * The comparison takes the same time whatever the guess: both sides are
 * HMAC-ed under a random key made once per isolate, and the equal-length
 * digests are compared with `crypto.subtle.timingSafeEqual`, so neither the
 * token's length nor a matching prefix shows in the timing. Trade-off: there
 * is no rate limit here; a long random token (docs/operations.md: `openssl rand -hex 32`)
 * is what makes guessing hopeless.
 */
import type { Context, MiddlewareHandler } from "hono";
import { relaySecret } from "../lib/secrets.ts";
import { log } from "../log/log.ts";

const BEARER = /^Bearer +([\x21-\x7e]+) *$/i;
const encoder = new TextEncoder();
let macKey: Promise<CryptoKey> | undefined;

function key(): Promise<CryptoKey> {
  // Made lazily: Workers refuse random values at global scope.
  macKey ??= crypto.subtle.generateKey({ name: "HMAC", hash: "SHA-256" }, false, ["sign"]) as Promise<CryptoKey>;
  return macKey;
}

/**
 * True when `presented` equals `expected`, in time independent of both.
 *
 * @example
 * await sameToken("s3cret", "s3cret") // true
 * await sameToken("s3cre", "s3cret")  // false, as fast as any other guess
 */
export async function sameToken(presented: string, expected: string): Promise<boolean> {
  const k = await key();
  const [a, b] = await Promise.all([
    crypto.subtle.sign("HMAC", k, encoder.encode(presented)),
    crypto.subtle.sign("HMAC", k, encoder.encode(expected)),
  ]);
  return crypto.subtle.timingSafeEqual(a, b);
}

function unauthorized(c: Context, challenge: string): Response {
  return c.json({ error: "unauthorized: send Authorization: Bearer <ADMIN_TOKEN>" }, 401, {
    "WWW-Authenticate": challenge,
  });
}

/** Hono middleware for every /admin route: 404 when the API is off, 401 without the right token. */
export const requireAdmin: MiddlewareHandler<{ Bindings: Env }> = async (c, next) => {
  const expected = relaySecret(c.env, "ADMIN_TOKEN");
  if (expected === undefined) return c.json({ error: "not found" }, 404);
  const presented = BEARER.exec(c.req.header("authorization") ?? "")?.[1];
  if (presented === undefined) {
    log("warn", "admin request refused", { path: c.req.path, outcome: "unauthorized", reason: "no bearer token" });
    return unauthorized(c, 'Bearer realm="gitple-relay admin"');
  }
  if (!(await sameToken(presented, expected))) {
    log("warn", "admin request refused", { path: c.req.path, outcome: "unauthorized", reason: "wrong token" });
    return unauthorized(c, 'Bearer realm="gitple-relay admin", error="invalid_token"');
  }
  await next();
  c.header("Cache-Control", "no-store");
};
