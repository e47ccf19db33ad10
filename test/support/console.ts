// Worker-side helpers for the operator console: a small browser stand-in that
// keeps cookies and posts forms through the Worker's real fetch handler.
import { env, exports } from "cloudflare:workers";
import relay from "../../src/index.ts";
import { ADMIN_TOKEN } from "./test-env.ts";

const ctx = { waitUntil() {}, passThroughOnException() {}, props: {} };

export interface Page {
  status: number;
  html: string;
  response: Response;
}

/** The value of the hidden `csrf` field of the page's first form that has one. */
export function csrfOf(html: string): string {
  const m = /name="csrf" value="([^"]*)"/.exec(html);
  if (!m?.[1]) throw new Error("no csrf field in the page");
  return m[1];
}

/** A cookie jar and fetch for one simulated browser; `env` replaces the deployed bindings when given. */
export class Browser {
  readonly cookies = new Map<string, string>();
  readonly bindings: Record<string, unknown> | undefined;
  constructor(bindings?: Record<string, unknown>) {
    this.bindings = bindings;
  }

  async fetch(
    path: string,
    init: { method?: string; form?: Record<string, string>; headers?: Record<string, string> } = {},
  ): Promise<Page> {
    const headers: Record<string, string> = { "sec-fetch-site": "same-origin", ...init.headers };
    if (this.cookies.size > 0) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
    let body: string | undefined;
    if (init.form) {
      headers["content-type"] = "application/x-www-form-urlencoded";
      body = new URLSearchParams(init.form).toString();
    }
    for (const [k, v] of Object.entries(headers)) if (v === "") delete headers[k];
    const request = new Request(`https://relay.test${path}`, {
      method: init.method ?? (init.form ? "POST" : "GET"),
      headers,
      body,
      redirect: "manual",
    });
    const response = this.bindings
      ? await relay.fetch(request, this.bindings as unknown as Env, ctx as never)
      : await exports.default.fetch(request);
    for (const cookie of response.headers.getSetCookie()) {
      const [pair = ""] = cookie.split(";");
      const at = pair.indexOf("=");
      const name = pair.slice(0, at);
      const value = pair.slice(at + 1);
      if (value === "" || /max-age=0/i.test(cookie)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return { status: response.status, html: await response.text(), response };
  }

  /** Opens the sign-in page and signs in with `token`; answers the sign-in POST. */
  async signIn(token = ADMIN_TOKEN): Promise<Page> {
    const page = await this.fetch("/admin");
    return this.fetch("/admin/ui/sign-in", { form: { csrf: csrfOf(page.html), token } });
  }

  /** The CSRF token of a signed-in page (the sign-out form carries it). */
  async csrf(): Promise<string> {
    return csrfOf((await this.fetch("/admin/ui/rules")).html);
  }
}

/** A browser already signed in with the test token. */
export async function signedInBrowser(bindings?: Record<string, unknown>): Promise<Browser> {
  const b = new Browser(bindings);
  const r = await b.signIn();
  if (r.status !== 303) throw new Error(`sign-in answered ${r.status}`);
  return b;
}

export const deployedEnv = env as unknown as Record<string, unknown>;
