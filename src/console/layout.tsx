/** @jsxImportSource hono/jsx */
/**
 * The frame of every console page: the nav (Status, Rules, Deliveries, Dead
 * letters, Playground), the sign-out button, and the CSS, inlined under the
 * answer's CSP nonce so a page is one round trip and no inline style
 * attribute is ever needed (the CSP allows none).
 */

import { raw } from "hono/html";
import type { Child } from "hono/jsx";
import { CSS } from "./style.ts";

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
  children?: Child;
}

export function Frame(props: FrameProps) {
  return (
    <>
      {raw("<!DOCTYPE html>")}
      <html lang="ko">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title>{`${props.title} · gitple-relay`}</title>
          <style nonce={props.nonce}>{raw(CSS)}</style>
        </head>
        <body>
          <header class="top">
            <span class="brand">gitple-relay</span>
            {props.csrf !== undefined && (
              <>
                <nav>
                  {NAV.map(([name, href]) => (
                    <a
                      href={href}
                      class={props.active === name ? "on" : undefined}
                      aria-current={props.active === name ? "page" : undefined}
                    >
                      {name}
                    </a>
                  ))}
                </nav>
                <form method="post" action="/admin/ui/sign-out" class="out">
                  <input type="hidden" name="csrf" value={props.csrf} />
                  <button type="submit">Sign out</button>
                </form>
              </>
            )}
          </header>
          <main>
            <h1>{props.title}</h1>
            {props.children}
          </main>
        </body>
      </html>
    </>
  );
}

/** A one-line notice above a page's content. */
export function Notice(props: { kind: "ok" | "error"; children?: Child }) {
  return (
    <p class={`notice ${props.kind}`} role={props.kind === "error" ? "alert" : "status"}>
      {props.children}
    </p>
  );
}
