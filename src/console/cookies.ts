/**
 * The console's two cookies (session.ts names them), read and written here:
 * every one is `HttpOnly; Secure; SameSite=Strict; Path=/admin`, and their
 * values are the console's own base64url and digits, never encoded.
 *
 * Trade-off: written by hand rather than with hono/cookie, whose general
 * parser and serializer (quoting, decoding, prefixes, every attribute) cost
 * about 1 KiB of the Worker's gzipped budget for two fixed names. A cookie
 * whose value is not of the expected form is refused by session.ts anyway.
 */
import type { Context } from "hono";

/**
 * The value of cookie `name` in the request, or undefined.
 * @example readCookie(c, "relay_console") // → "AbC….1796197242.xyz…"
 */
export function readCookie(c: Context, name: string): string | undefined {
  for (const pair of (c.req.header("cookie") ?? "").split(";")) {
    const eq = pair.indexOf("=");
    if (eq > 0 && pair.slice(0, eq).trim() === name) return pair.slice(eq + 1).trim();
  }
  return undefined;
}

/**
 * Sets cookie `name` on the answer for `maxAge` seconds; 0 and "" clear it.
 * @example writeCookie(c, "relay_console", value, 43_200)
 * // Set-Cookie: relay_console=…; Max-Age=43200; Path=/admin; HttpOnly; Secure; SameSite=Strict
 */
export function writeCookie(c: Context, name: string, value: string, maxAge: number): void {
  c.header("set-cookie", `${name}=${value}; Max-Age=${maxAge}; Path=/admin; HttpOnly; Secure; SameSite=Strict`, {
    append: true,
  });
}
