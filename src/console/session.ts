/**
 * The console's session and its same-origin proofs, all stateless.
 *
 * A session is a cookie `<id>.<expires>.<mac>`: a random id, its end (12 hours
 * after sign-in, in Unix seconds) and an HMAC-SHA-256 over both. The MAC key
 * is derived from `ADMIN_TOKEN` (HMAC of a fixed label under the token), so
 * rotating the token invalidates every session at once, and nothing is stored.
 * The CSRF token of a session is the MAC of its id under the same key; the
 * sign-in form, which has no session yet, is bound instead to a short-lived
 * random cookie (double submit). Every check goes through
 * `crypto.subtle.verify`, which compares in constant time.
 *
 * Trade-off: a stateless session cannot be revoked alone; sign-out clears the
 * browser's cookie, and rotating `ADMIN_TOKEN` ends every session.
 */

export const SESSION_COOKIE = "relay_console";
export const SIGN_IN_COOKIE = "relay_console_sign_in";
export const SESSION_SECONDS = 12 * 3600;
export const SIGN_IN_SECONDS = 15 * 60;

export interface Session {
  readonly id: string;
  /** Unix seconds. */
  readonly expires: number;
}

const encoder = new TextEncoder();
const SESSION_VALUE = /^([A-Za-z0-9_-]{22})\.(\d{10})\.([A-Za-z0-9_-]{43})$/;
const NONCE = /^[A-Za-z0-9_-]{22}$/;
const MAC = /^[A-Za-z0-9_-]{43}$/;
let cached: { token: string; key: Promise<CryptoKey> } | undefined;

function consoleKey(token: string): Promise<CryptoKey> {
  if (cached?.token !== token) cached = { token, key: deriveKey(token) };
  return cached.key;
}

async function deriveKey(token: string): Promise<CryptoKey> {
  const hmac = { name: "HMAC", hash: "SHA-256" };
  const root = await crypto.subtle.importKey("raw", encoder.encode(token), hmac, false, ["sign"]);
  const bytes = await crypto.subtle.sign("HMAC", root, encoder.encode("gitple-relay console session key v1"));
  return crypto.subtle.importKey("raw", bytes, hmac, false, ["sign", "verify"]);
}

function base64url(bytes: ArrayBuffer | Uint8Array): string {
  let binary = "";
  for (const b of new Uint8Array(bytes)) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function unbase64url(text: string): Uint8Array {
  return Uint8Array.from(atob(text.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0));
}

async function mac(token: string, label: string): Promise<string> {
  return base64url(await crypto.subtle.sign("HMAC", await consoleKey(token), encoder.encode(label)));
}

async function macMatches(token: string, label: string, presented: string): Promise<boolean> {
  if (!MAC.test(presented)) return false;
  return crypto.subtle.verify("HMAC", await consoleKey(token), unbase64url(presented), encoder.encode(label));
}

/** A fresh random id: 16 bytes, base64url (22 characters). */
export function randomId(): string {
  return base64url(crypto.getRandomValues(new Uint8Array(16)));
}

/**
 * A new session's cookie value, valid `SESSION_SECONDS` from `now`.
 *
 * @example
 * const value = await newSession(env.ADMIN_TOKEN); // "q3Y…22 chars.1777777777.Kx…43 chars"
 */
export async function newSession(token: string, now = Date.now()): Promise<string> {
  const id = randomId();
  const expires = Math.floor(now / 1000) + SESSION_SECONDS;
  return `${id}.${expires}.${await mac(token, `session.${id}.${expires}`)}`;
}

/**
 * The session a cookie value proves, or null (malformed, forged, made with another token, or expired).
 *
 * @example
 * await readSession(token, await newSession(token)) // { id: "q3Y…", expires: 1777777777 }
 * await readSession("rotated", value)              // null
 */
export async function readSession(token: string, value: string | undefined, now = Date.now()): Promise<Session | null> {
  const m = SESSION_VALUE.exec(value ?? "");
  if (!m) return null;
  const [, id = "", end = "", presented = ""] = m;
  const expires = Number(end);
  const seconds = now / 1000;
  if (!(expires > seconds && expires <= seconds + SESSION_SECONDS)) return null;
  return (await macMatches(token, `session.${id}.${expires}`, presented)) ? { id, expires } : null;
}

/** The CSRF token every form of this session carries. */
export function csrfToken(token: string, session: Session): Promise<string> {
  return mac(token, `csrf.${session.id}`);
}

/** True when `presented` is this session's CSRF token (constant time). */
export function csrfMatches(token: string, session: Session, presented: string): Promise<boolean> {
  return macMatches(token, `csrf.${session.id}`, presented);
}

/** The sign-in form's token, bound to the random value of the sign-in cookie. */
export function signInToken(token: string, nonce: string): Promise<string> {
  return mac(token, `sign-in.${nonce}`);
}

/** True when the sign-in form's token matches its cookie (constant time). */
export async function signInMatches(token: string, nonce: string | undefined, presented: string): Promise<boolean> {
  if (nonce === undefined || !NONCE.test(nonce)) return false;
  return macMatches(token, `sign-in.${nonce}`, presented);
}
