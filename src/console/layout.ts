/**
 * The frame of every console page: the nav (Status, Rules, Deliveries, Dead
 * letters, Playground), the sign-out button, and the CSS, inlined under the
 * answer's CSP nonce so a page is one round trip and no inline style
 * attribute is ever needed (the CSP allows none).
 *
 * Pages are hono/html tagged templates (hono/jsx cost the bundle ~12 KiB).
 * `html` escapes every interpolated string (`& < > " '`, so a value is safe
 * in text and in a quoted attribute), prints numbers, joins arrays, and
 * renders nothing for `undefined`, `null`, `true` and `false`: `${cond &&
 * html`…`}` is an optional part or attribute. `raw` is for constant markup
 * only (the CSS). Trade-off: nothing checks the markup's shape as JSX did,
 * so every attribute value is written quoted (`value="${v}"`), and line
 * breaks go only where a browser drops them: between block-level elements
 * or flex and grid items (`form.inline`, `dl.kv`), never between inline boxes
 * (two `form.inline`, the sign-in form's parts) nor inside `<pre>`,
 * `<textarea>` or a Slack part (`white-space: pre-wrap`). The console tests
 * and the browser test are the guard.
 */

import type { Context } from "hono";
import { html, raw } from "hono/html";
import type { HtmlEscapedString } from "hono/utils/html";
import { CSS } from "./style.ts";

/** What a template returns (a promise only when a promise was interpolated; the console's never are). */
export type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

export const NAV = [
  ["Status", "/admin"],
  ["Rules", "/admin/ui/rules"],
  ["Deliveries", "/admin/ui/deliveries"],
  ["Dead letters", "/admin/ui/dead-letters"],
  ["Playground", "/admin/ui/playground"],
] as const;

export type PageName = (typeof NAV)[number][0];

export interface FrameProps {
  title: string;
  nonce: string;
  /** The CSRF token for the sign-out form; absent on the sign-in page (no nav). */
  csrf?: string;
  active?: PageName;
}

/**
 * @example
 * c.html(Frame({ title: "Rules", nonce, csrf, active: "Rules" }, html`<pre class="tree">${text}</pre>`))
 */
export function Frame(props: FrameProps, body: unknown): Html {
  const nav =
    props.csrf !== undefined &&
    html`<nav>
        ${NAV.map(
          ([name, href]) =>
            html`<a href="${href}"${props.active === name && html` class="on" aria-current="page"`}>${name}</a>`,
        )}
      </nav>
      <form method="post" action="/admin/ui/sign-out" class="out">
        <input type="hidden" name="csrf" value="${props.csrf}">
        <button type="submit">Sign out</button>
      </form>`;
  return html`<!DOCTYPE html>
<html lang="ko">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>${props.title} · gitple-relay</title>
    <style nonce="${props.nonce}">${raw(CSS)}</style>
  </head>
  <body>
    <header class="top">
      <span class="brand">gitple-relay</span>
      ${nav}
    </header>
    <main>
      <h1>${props.title}</h1>
      ${body}
    </main>
  </body>
</html>`;
}

/** A one-line notice above a page's content. */
export function Notice(kind: "ok" | "error", body: unknown): Html {
  return html`<p class="notice ${kind}" role="${kind === "error" ? "alert" : "status"}">${body}</p>`;
}

/** One `<dt>`/`<dd>` pair of a `<dl class="kv">`. */
export const row = (term: unknown, value: unknown): Html => html`<dt>${term}</dt><dd>${value}</dd>`;

/** A bare answer outside the console's pages (403, 404, 413, 503): its status, a sentence, the way back. */
export const bare = (c: Context, status: 400 | 403 | 404 | 413 | 503, text: string): Response | Promise<Response> =>
  c.html(
    html`<!DOCTYPE html><meta charset="utf-8"><h1>${status}</h1><p>${text} <a href="/admin">Back to the console</a></p>`,
    status,
  );
