/**
 * The console's gate, in front of every console route.
 *
 * - Off without `ADMIN_TOKEN`: 404, as the admin API answers.
 * - Every answer gets the console's headers: a CSP that allows no script at
 *   all and only the page's own nonce-tagged `<style>`, `frame-ancestors
 *   'none'`, `Referrer-Policy: no-referrer`, `Cache-Control: no-store`.
 * - The session cookie is read and verified once (session.ts).
 * - A POST (every state change) must prove it comes from the console's own
 *   form: `Sec-Fetch-Site: same-origin` when the browser sends the header, the
 *   cookie (SameSite=Strict, so a cross-site request arrives without it) and
 *   the CSRF token in the form. `Origin` is not used: with
 *   `Referrer-Policy: no-referrer` the browser sends `Origin: null` on our own
 *   form posts. A refusal is a 403 and nothing runs.
 * - The form is read with a byte limit counted on the stream (ingest's
 *   readBody), after the cheap checks: a larger one is a 413.
 */

import type { MiddlewareHandler } from "hono";
import { readBody } from "../ingest/body.ts";
import { relaySecret } from "../lib/secrets.ts";
import { log } from "../log/log.ts";
import type { ConsoleEnv } from "./context.ts";
import { readCookie } from "./cookies.ts";
import { bare } from "./layout.ts";
import {
  csrfMatches,
  csrfToken,
  randomId,
  readSession,
  SESSION_COOKIE,
  SIGN_IN_COOKIE,
  signInMatches,
} from "./session.ts";

/** Big enough for a pasted event (the relay takes bodies up to 256 KiB) in a urlencoded form. */
const MAX_FORM_BYTES = 800 * 1024;

function adminToken(env: Env): string | undefined {
  return relaySecret(env, "ADMIN_TOKEN");
}

function policy(nonce: string): string {
  return [
    "default-src 'none'",
    `style-src 'nonce-${nonce}'`,
    "img-src 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join("; ");
}

/** 404 when the console is off; the headers, the nonce and the session otherwise. */
export const consoleGate: MiddlewareHandler<ConsoleEnv> = async (c, next) => {
  const token = adminToken(c.env);
  if (token === undefined) return c.json({ error: "not found" }, 404);
  const nonce = randomId();
  c.set("token", token);
  c.set("nonce", nonce);
  const session = await readSession(token, readCookie(c, SESSION_COOKIE));
  c.set("session", session);
  c.set("csrf", session ? await csrfToken(token, session) : "");
  c.set("form", {});
  await next();
  const h = c.res.headers;
  h.set("Content-Security-Policy", policy(nonce));
  h.set("Referrer-Policy", "no-referrer");
  h.set("Cache-Control", "no-store");
  h.set("X-Content-Type-Options", "nosniff");
  h.set("X-Frame-Options", "DENY");
};

function refuse(c: Parameters<MiddlewareHandler<ConsoleEnv>>[0], reason: string, text?: string) {
  log("warn", "console request refused", { path: c.req.path, outcome: "forbidden", reason });
  return bare(
    c,
    403,
    `${text ?? `This request did not come from the console's own form (${reason})`}; nothing was changed.`,
  );
}

/**
 * For every console POST: the same-origin proofs above, then the form's fields in `c.var.form`.
 * `signIn`: the sign-in form, proven by its sign-in cookie instead of a session.
 * Without a session (it ended: 12 hours, or the token rotated) an action is a 403
 * that says so, and Sign out goes to the sign-in page.
 */
export function formPost(signIn = false): MiddlewareHandler<ConsoleEnv> {
  return async (c, next) => {
    const site = c.req.header("sec-fetch-site");
    if (site !== undefined && site !== "same-origin") return refuse(c, `Sec-Fetch-Site: ${site}`);
    const session = c.var.session;
    if (!signIn && session === null) {
      if (c.req.path.endsWith("/sign-out")) return c.redirect("/admin", 303);
      return refuse(c, "not signed in", "Your session has ended: sign in again");
    }
    // Counted as it is read, whatever Content-Length says (or not, when chunked).
    const body = await readBody(c.req.raw, MAX_FORM_BYTES);
    if (!body.ok) {
      const big = body.error === "body_too_large";
      return bare(
        c,
        big ? 413 : 400,
        `The form ${big ? "is over 800 KiB" : "could not be read"}; nothing was changed.`,
      );
    }
    const type = c.req.header("content-type") ?? "";
    const fields: Record<string, string> = {};
    if (/^(application\/x-www-form-urlencoded|multipart\/form-data)/i.test(type)) {
      const form = await new Response(body.value, { headers: { "content-type": type } }).formData().catch(() => []);
      for (const [k, v] of form) if (typeof v === "string") fields[k] = v;
    }
    const presented = fields.csrf ?? "";
    const token = c.var.token;
    if (signIn) {
      if (!(await signInMatches(token, readCookie(c, SIGN_IN_COOKIE), presented))) {
        return refuse(c, "no valid sign-in form token");
      }
    } else if (!(session && (await csrfMatches(token, session, presented)))) return refuse(c, "no valid CSRF token");
    c.set("form", fields);
    await next();
  };
}

/** GET pages: signed in, or sent to the sign-in page. */
export const signedIn: MiddlewareHandler<ConsoleEnv> = async (c, next) => {
  if (c.var.session === null) return c.redirect("/admin", 303);
  await next();
};
