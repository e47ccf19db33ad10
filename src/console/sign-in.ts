/**
 * Signing in and out. The sign-in page has one field, the token; the form is
 * bound to a random sign-in cookie (session.ts) so a cross-site page cannot
 * post it. The token is compared with the admin API's own constant-time check
 * (src/admin/auth.ts `sameToken`), and every wrong token gets the same 401
 * page. Success sets the session cookie: `HttpOnly; Secure; SameSite=Strict;
 * Path=/admin`, 12 hours. Sign-out (a POST button) clears it.
 */
import { html } from "hono/html";
import { sameToken } from "../admin/auth.ts";
import { log } from "../log/log.ts";
import type { ConsoleContext } from "./context.ts";
import { writeCookie } from "./cookies.ts";
import { Frame, Notice } from "./layout.ts";
import {
  newSession,
  randomId,
  SESSION_COOKIE,
  SESSION_SECONDS,
  SIGN_IN_COOKIE,
  SIGN_IN_SECONDS,
  signInToken,
} from "./session.ts";

/** The sign-in page (200, or 401 after a wrong token), with a fresh sign-in cookie. */
export async function signInPage(c: ConsoleContext, wrong = false): Promise<Response> {
  const nonce = randomId();
  writeCookie(c, SIGN_IN_COOKIE, nonce, SIGN_IN_SECONDS);
  const csrf = await signInToken(c.var.token, nonce);
  // The form's parts are inline boxes: no white space between them, where it would show.
  const page = Frame(
    { title: "Sign in", nonce: c.var.nonce },
    html`<div class="signin card">
      ${wrong && Notice("error", "Wrong token. Nothing was changed.")}
      <form method="post" action="/admin/ui/sign-in"><input type="hidden" name="csrf" value="${csrf}"><label for="token">Admin token (<code>ADMIN_TOKEN</code>)</label><input id="token" name="token" type="password" autocomplete="current-password" required autofocus><button type="submit">Sign in</button></form>
      <p class="muted">The session lasts 12 hours; rotating the token signs everyone out.</p>
    </div>`,
  );
  return c.html(page, wrong ? 401 : 200);
}

/** `POST /admin/ui/sign-in` (after guard.ts `formPost(true)`). */
export async function signIn(c: ConsoleContext): Promise<Response> {
  if (!(await sameToken(c.var.form.token ?? "", c.var.token))) {
    log("warn", "admin request refused", { path: c.req.path, outcome: "unauthorized", reason: "wrong token" });
    return signInPage(c, true);
  }
  writeCookie(c, SESSION_COOKIE, await newSession(c.var.token), SESSION_SECONDS);
  writeCookie(c, SIGN_IN_COOKIE, "", 0);
  log("info", "console signed in", { path: c.req.path, outcome: "signed_in" });
  return c.redirect("/admin", 303);
}

/** `POST /admin/ui/sign-out` (after guard.ts `formPost()`). */
export function signOut(c: ConsoleContext): Response {
  writeCookie(c, SESSION_COOKIE, "", 0);
  return c.redirect("/admin", 303);
}
