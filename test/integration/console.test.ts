// The operator console (src/console) through the Worker's real fetch handler:
// the gate, sign-in and sign-out, the session cookie, the same-origin proofs of
// every POST, the headers of every answer, escaping, and the dead-letter
// actions through their forms (checked in KV, the queue and the receiver).
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { DEMO_DATA, DEMO_IDS } from "../../scripts/lib/gitple-demo-data.ts";
import { MAX_REPLAY_ALL } from "../../src/console/dead-letter-data.ts";
import { newSession, SESSION_COOKIE } from "../../src/console/session.ts";
import { admin, makeDeadLetter, recordingQueue } from "../support/admin.ts";
import { Browser, csrfOf, deployedEnv, signedInBrowser } from "../support/console.ts";
import { TAG } from "../support/ids.ts";
import { ADMIN_TOKEN, TEST_ROUTING } from "../support/test-env.ts";
import { closeEvent, receivedAtLeast } from "../support/worker.ts";

const PAGES = [
  "/admin",
  "/admin/ui/rules",
  "/admin/ui/deliveries",
  "/admin/ui/dead-letters",
  "/admin/ui/playground",
] as const;
const XSS = `<script>alert("x")</script><img src=x onerror=alert(1)>`;

function expectConsoleHeaders(response: Response) {
  const csp = response.headers.get("content-security-policy") ?? "";
  expect(csp).toContain("default-src 'none'");
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).not.toContain("unsafe-inline");
  expect(csp).not.toContain("script-src");
  expect(response.headers.get("referrer-policy")).toBe("no-referrer");
  expect(response.headers.get("cache-control")).toBe("no-store");
}

describe("the console's gate", () => {
  it.each([
    ["unset", undefined],
    ["empty", ""],
  ])("answers 404 everywhere when ADMIN_TOKEN is %s", async (_what, token) => {
    const b = new Browser({ ...deployedEnv, ADMIN_TOKEN: token });
    for (const path of [...PAGES, "/admin/ui/dead-letters/x"]) {
      const r = await b.fetch(path);
      expect(r.status, path).toBe(404);
      expect(JSON.parse(r.html)).toEqual({ error: "not found" });
    }
    const post = await b.fetch("/admin/ui/sign-in", { form: { token: ADMIN_TOKEN } });
    expect(post.status).toBe(404);
  });

  it("shows the sign-in page at /admin and sends every other page there when signed out", async () => {
    const b = new Browser();
    const page = await b.fetch("/admin");
    expect(page.status).toBe(200);
    expect(page.html).toContain('<form method="post" action="/admin/ui/sign-in">');
    expect(page.html).toContain('type="password"');
    expect(page.html).not.toContain(ADMIN_TOKEN);
    expectConsoleHeaders(page.response);
    for (const path of PAGES.slice(1)) {
      const r = await b.fetch(path);
      expect(r.status, path).toBe(303);
      expect(r.response.headers.get("location")).toBe("/admin");
      expectConsoleHeaders(r.response);
    }
  });

  it("leaves the JSON API bearer-only: the session cookie authorizes no JSON call", async () => {
    const b = await signedInBrowser();
    const r = await b.fetch("/admin/dead-letters");
    expect(r.status).toBe(401);
    expect(JSON.parse(r.html)).toEqual({ error: "unauthorized: send Authorization: Bearer <ADMIN_TOKEN>" });
    expect((await admin("/dead-letters?limit=1")).status).toBe(200);
  });
});

describe("sign-in and sign-out", () => {
  it("sets a signed, HttpOnly, Secure, SameSite=Strict session cookie on /admin for 12 hours", async () => {
    const b = new Browser();
    const r = await b.signIn();
    expect(r.status).toBe(303);
    expect(r.response.headers.get("location")).toBe("/admin");
    const cookie = r.response.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`)) ?? "";
    expect(cookie).toMatch(/^relay_console=[A-Za-z0-9_-]{22}\.\d{10}\.[A-Za-z0-9_-]{43};/);
    for (const attribute of ["HttpOnly", "Secure", "SameSite=Strict", "Path=/admin", "Max-Age=43200"]) {
      expect(cookie.split("; ")).toContain(attribute);
    }
    expect(cookie).not.toContain(ADMIN_TOKEN);
    const status = await b.fetch("/admin");
    expect(status.status).toBe(200);
    expect(status.html).toContain("Sign out");
    for (const name of ["Status", "Rules", "Deliveries", "Dead letters", "Playground"]) {
      expect(status.html).toContain(`>${name}</a>`);
    }
  });

  it("refuses every wrong token with the same 401 page, and sets no session", async () => {
    const pages: string[] = [];
    for (const token of [`x${ADMIN_TOKEN.slice(1)}`, ADMIN_TOKEN.slice(0, -1), `${ADMIN_TOKEN}x`, "", "a"]) {
      const b = new Browser();
      const r = await b.signIn(token);
      expect(r.status, token).toBe(401);
      expect(b.cookies.has(SESSION_COOKIE)).toBe(false);
      expect(r.html).toContain("Wrong token");
      expect(r.html).not.toContain(ADMIN_TOKEN.slice(0, 8));
      pages.push(r.html.replace(/value="[^"]*"/g, "").replace(/nonce="[^"]*"/g, ""));
    }
    expect(new Set(pages).size).toBe(1);
  });

  it("signs out with a POST button, which clears the cookie", async () => {
    const b = await signedInBrowser();
    const csrf = await b.csrf();
    const r = await b.fetch("/admin/ui/sign-out", { form: { csrf } });
    expect(r.status).toBe(303);
    const cleared = r.response.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`)) ?? "";
    expect(cleared).toMatch(/Max-Age=0/);
    expect(cleared).toContain("Path=/admin");
    expect(b.cookies.has(SESSION_COOKIE)).toBe(false);
    expect((await b.fetch("/admin/ui/rules")).status).toBe(303);
  });

  it("ends sessions signed with another token (rotation) and expired ones", async () => {
    for (const value of [
      await newSession("the previous admin token"),
      await newSession(ADMIN_TOKEN, Date.now() - 12 * 3600 * 1000 - 1000),
      "forged.1999999999.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
    ]) {
      const b = new Browser();
      b.cookies.set(SESSION_COOKIE, value);
      const r = await b.fetch("/admin/ui/rules");
      expect(r.status).toBe(303);
      const page = await b.fetch("/admin");
      expect(page.html).toContain('action="/admin/ui/sign-in"');
    }
  });
});

describe("same-origin proofs", () => {
  it.each([
    ["no CSRF token", { csrf: null, site: "same-origin" }],
    ["a wrong CSRF token", { csrf: "A".repeat(43), site: "same-origin" }],
    ["another session's CSRF token", { csrf: "other", site: "same-origin" }],
    ["Sec-Fetch-Site: cross-site", { csrf: "right", site: "cross-site" }],
    ["Sec-Fetch-Site: same-site", { csrf: "right", site: "same-site" }],
  ])("refuses a replay or delete with %s (403), and changes nothing", async (_what, how) => {
    const record = await makeDeadLetter(new Date());
    const b = await signedInBrowser();
    const csrf =
      how.csrf === "right" ? await b.csrf() : how.csrf === "other" ? await (await signedInBrowser()).csrf() : how.csrf;
    for (const action of ["replay", "delete"]) {
      const form: Record<string, string> = { confirm: "yes" };
      if (csrf !== null) form.csrf = csrf;
      const r = await b.fetch(`/admin/ui/dead-letters/${record.id}/${action}`, {
        form,
        headers: { "sec-fetch-site": how.site },
      });
      expect(r.status).toBe(403);
      expect(r.html).toContain("nothing was changed");
      expectConsoleHeaders(r.response);
    }
    const after = await admin(`/dead-letters/${record.id}`);
    expect(after.body.state).toBe("dead");
  });

  it("refuses a POST without the session cookie (what a cross-site form sends under SameSite=Strict)", async () => {
    const record = await makeDeadLetter(new Date());
    const b = await signedInBrowser();
    const csrf = await b.csrf();
    b.cookies.clear();
    const r = await b.fetch(`/admin/ui/dead-letters/${record.id}/replay`, {
      form: { csrf, confirm: "yes" },
      headers: { "sec-fetch-site": "" },
    });
    expect(r.status).toBe(403);
    expect((await admin(`/dead-letters/${record.id}`)).body.state).toBe("dead");
  });

  it("refuses a sign-in posted cross-site or without its sign-in cookie", async () => {
    const b = new Browser();
    const csrf = csrfOf((await b.fetch("/admin")).html);
    const cross = await b.fetch("/admin/ui/sign-in", {
      form: { csrf, token: ADMIN_TOKEN },
      headers: { "sec-fetch-site": "cross-site" },
    });
    expect(cross.status).toBe(403);
    const stranger = new Browser();
    const r = await stranger.fetch("/admin/ui/sign-in", { form: { csrf, token: ADMIN_TOKEN } });
    expect(r.status).toBe(403);
    expect(stranger.cookies.has(SESSION_COOKIE)).toBe(false);
  });
});

describe("pages", () => {
  it("answers every page with the console's headers, and no secret value or webhook URL", async () => {
    const b = await signedInBrowser();
    for (const path of PAGES) {
      const r = await b.fetch(path);
      expect(r.status, path).toBe(200);
      expectConsoleHeaders(r.response);
      expect(r.html).toMatch(/^<!DOCTYPE html>/);
      expect(r.html).not.toContain("<script");
      expect(r.html).not.toContain("127.0.0.1");
    }
    const status = await b.fetch("/admin");
    expect(status.html).toContain("valid: 11 rules");
    expect(status.html).toContain("<code>SLACK_MAIN_URL</code>");
  });

  it("shows the rules tree as `npm run routes -- tree` prints it", async () => {
    const b = await signedInBrowser();
    const r = await b.fetch("/admin/ui/rules");
    expect(r.html).toContain(`deployed ROUTING: ${TEST_ROUTING.rules.length} rules, evaluated in order`);
    expect(r.html).toContain(
      `1. &quot;vip&quot;  tags.any=[${TAG.vip}] tags.none=[${TAG.test}]  → vip-slack, main-slack, stop`,
    );
    expect(r.html).toContain("fallback (no rule matched)  → ops");
  });

  it("offers as the playground's sample a real-looking close of the demo session: ids, no person's name", async () => {
    const b = await signedInBrowser();
    const r = await b.fetch("/admin/ui/playground");
    const shown = /<textarea[^>]*>([^<]*)<\/textarea>/.exec(r.html)?.[1] ?? "";
    const unescaped = shown
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&amp;/g, "&");
    const sample = JSON.parse(unescaped) as { appCode: string; type: string; session: Record<string, unknown> };
    expect(sample).toMatchObject({ appCode: "acme-shop", type: "session_state_close" });
    const demo = DEMO_DATA.sessions[DEMO_IDS.sessions.demo] as Record<string, unknown>;
    for (const key of ["id", "userId", "userGroups", "assigneeId", "categories", "tags", "openTime", "closeTime"]) {
      expect(sample.session[key], key).toEqual(demo[key]);
    }
    const ids = [sample.session.id, sample.session.userId, sample.session.assigneeId];
    for (const key of ["userGroups", "categories", "tags"]) ids.push(...(sample.session[key] as string[]));
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{24}$/);
    // The demo's people and names appear nowhere in the event: the Open API gives them.
    for (const name of ["박지훈", "김민준", "VIP", "배송"]) expect(unescaped).not.toContain(name);
  });

  it("escapes a hostile note on the dead letter's page and in the playground", async () => {
    const record = await makeDeadLetter(new Date(), closeEvent({}, { note: XSS }));
    const b = await signedInBrowser();
    const detail = await b.fetch(`/admin/ui/dead-letters/${record.id}`);
    expect(detail.status).toBe(200);
    expect(detail.html).toContain("&lt;script&gt;alert(");
    expect(detail.html).toContain("&lt;img src=x onerror=alert(1)&gt;");
    expect(detail.html).not.toMatch(/<script|<img/i);
    const play = await b.fetch("/admin/ui/playground", {
      form: { csrf: await b.csrf(), event: JSON.stringify(closeEvent({}, { note: XSS, tags: [TAG.vip] })) },
    });
    expect(play.status).toBe(200);
    expect(play.html).toContain("✓ matched");
    expect(play.html).toContain("Message to vip-slack");
    expect(play.html).not.toMatch(/<script|<img/i);
  });
});

describe("dead letters through the forms", () => {
  it("replays one once: 303 to the list, the record replayed, the receiver reached once", async () => {
    const event = closeEvent();
    const record = await makeDeadLetter(new Date(), event);
    const b = await signedInBrowser();
    const list = await b.fetch("/admin/ui/dead-letters?destination=main-slack");
    expect(list.html).toContain(`/admin/ui/dead-letters/${record.id}`);
    expect(list.html).toContain('<select id="destination" name="destination">');
    const csrf = await b.csrf();
    const unconfirmed = await b.fetch(`/admin/ui/dead-letters/${record.id}/replay`, { form: { csrf } });
    expect(unconfirmed.status).toBe(400);
    expect((await admin(`/dead-letters/${record.id}`)).body.state).toBe("dead");
    const r = await b.fetch(`/admin/ui/dead-letters/${record.id}/replay`, { form: { csrf, confirm: "yes" } });
    expect(r.status).toBe(303);
    expect(r.response.headers.get("location")).toBe("/admin/ui/dead-letters?replayed=1");
    expect((await admin(`/dead-letters/${record.id}`)).body.state).toBe("replayed");
    expect(await receivedAtLeast(event.triggerId, 1)).toHaveLength(1);
    const again = await b.fetch(`/admin/ui/dead-letters/${record.id}/replay`, { form: { csrf, confirm: "yes" } });
    expect(again.status).toBe(409);
    expect((await b.fetch("/admin/ui/dead-letters?replayed=1")).html).toContain("Replayed 1.");
  });

  it("deletes one: 303, then the id is 404", async () => {
    const record = await makeDeadLetter(new Date());
    const b = await signedInBrowser();
    const r = await b.fetch(`/admin/ui/dead-letters/${record.id}/delete`, {
      form: { csrf: await b.csrf(), confirm: "yes" },
    });
    expect(r.status).toBe(303);
    expect(r.response.headers.get("location")).toBe("/admin/ui/dead-letters?deleted=1");
    expect((await admin(`/dead-letters/${record.id}`)).status).toBe(404);
    expect((await b.fetch(`/admin/ui/dead-letters/${record.id}`)).status).toBe(404);
  });

  it("replays all of the filtered list, each once, and counts them on the page", async () => {
    // A destination only this test uses, and a recording queue, so no other file's dead letters are touched.
    const queue = recordingQueue();
    const routing = {
      ...TEST_ROUTING,
      destinations: {
        ...TEST_ROUTING.destinations,
        "console-only": { type: "slack", webhook_url_secret: "SLACK_MAIN_URL" },
      },
    };
    const bindings = { ...deployedEnv, ROUTING: routing, DELIVERIES: queue };
    const mine = [];
    for (let i = 0; i < 3; i++)
      mine.push(await makeDeadLetter(new Date(Date.now() - i * 1000), closeEvent(), "console-only"));
    const other = await makeDeadLetter(new Date());
    const b = await signedInBrowser(bindings);
    const r = await b.fetch("/admin/ui/dead-letters/replay-all", {
      form: { csrf: await b.csrf(), destination: "console-only", confirm: "yes" },
    });
    expect(r.status).toBe(303);
    const location = r.response.headers.get("location") ?? "";
    expect(location).toBe("/admin/ui/dead-letters?destination=console-only&replayed=3&refused=0&failed=0");
    expect(queue.sent.map((m) => (m as { triggerId: string }).triggerId).sort()).toEqual(
      mine.map((m) => m.triggerId).sort(),
    );
    expect((await admin(`/dead-letters/${other.id}`)).body.state).toBe("dead");
    const page = await b.fetch(location);
    expect(page.html).toContain("Replayed 3.");
    expect(page.html).toContain("No dead letters for console-only.");
    void env;
  });
});

describe("Replay all, a press at a time", () => {
  const routing = {
    ...TEST_ROUTING,
    destinations: {
      ...TEST_ROUTING.destinations,
      "console-cap": { type: "slack", webhook_url_secret: "SLACK_MAIN_URL" },
    },
  };

  it(`replays at most ${MAX_REPLAY_ALL} a press (Free plan: 50 subrequests), says more are left, and the next press goes on`, async () => {
    // Two list reads (KV list + bulk get each) and ~5 subrequests a replay stay under the Free plan's 50.
    expect(2 * 2 + MAX_REPLAY_ALL * 5).toBeLessThan(50);
    const queue = recordingQueue();
    const bindings = { ...deployedEnv, ROUTING: routing, DELIVERIES: queue };
    const mine = [];
    for (let i = 0; i < MAX_REPLAY_ALL + 2; i++)
      mine.push(await makeDeadLetter(new Date(Date.now() - i * 1000), closeEvent(), "console-cap"));
    const b = await signedInBrowser(bindings);
    const csrf = await b.csrf();
    const first = await b.fetch("/admin/ui/dead-letters/replay-all", {
      form: { csrf, destination: "console-cap", confirm: "yes" },
    });
    expect(first.status).toBe(303);
    const location = new URL(first.response.headers.get("location") ?? "", "https://relay.test");
    expect(location.searchParams.get("replayed")).toBe(String(MAX_REPLAY_ALL));
    expect(location.searchParams.has("more")).toBe(true);
    expect(queue.sent).toHaveLength(MAX_REPLAY_ALL);
    const page = await b.fetch(`${location.pathname}${location.search}`);
    expect(page.html).toContain(`Replayed ${MAX_REPLAY_ALL}. More are left: press Replay all again.`);
    const from = /name="from" value="([^"]*)"/.exec(page.html)?.[1];
    expect(from).toBeDefined();
    const second = await b.fetch("/admin/ui/dead-letters/replay-all", {
      form: { csrf, destination: "console-cap", confirm: "yes", from: from ?? "" },
    });
    expect(second.response.headers.get("location")).toBe(
      "/admin/ui/dead-letters?destination=console-cap&replayed=2&refused=0&failed=0",
    );
    const sent = queue.sent.map((m) => (m as { triggerId: string }).triggerId);
    expect(sent.sort()).toEqual(mine.map((m) => m.triggerId).sort());
  });

  it("reads at most 2 pages a press: a match behind 200 others is replayed by the press after", async () => {
    const queue = recordingQueue();
    const bindings = { ...deployedEnv, ROUTING: routing, DELIVERIES: queue };
    // Days old, so they sort after every other dead letter of this file.
    const old = Date.now() - 3 * 86_400_000;
    for (let i = 0; i < 200; i++) await makeDeadLetter(new Date(old - i * 1000), closeEvent(), "ops");
    const mine = await makeDeadLetter(new Date(old - 300_000), closeEvent(), "console-cap");
    const b = await signedInBrowser(bindings);
    const csrf = await b.csrf();
    const form = { csrf, destination: "console-cap", confirm: "yes" };
    const first = await b.fetch("/admin/ui/dead-letters/replay-all", { form });
    const location = new URL(first.response.headers.get("location") ?? "", "https://relay.test");
    expect(location.searchParams.get("replayed")).toBe("0");
    const from = location.searchParams.get("more");
    expect(from).toBeTruthy();
    expect(queue.sent).toEqual([]);
    const second = await b.fetch("/admin/ui/dead-letters/replay-all", { form: { ...form, from: from ?? "" } });
    expect(second.response.headers.get("location")).toBe(
      "/admin/ui/dead-letters?destination=console-cap&replayed=1&refused=0&failed=0",
    );
    expect(queue.sent.map((m) => (m as { triggerId: string }).triggerId)).toEqual([mine.triggerId]);
  });

  it("says the box must be ticked when it was not (400), and replays nothing", async () => {
    const queue = recordingQueue();
    await makeDeadLetter(new Date(), closeEvent(), "console-cap");
    const b = await signedInBrowser({ ...deployedEnv, ROUTING: routing, DELIVERIES: queue });
    const r = await b.fetch("/admin/ui/dead-letters/replay-all", {
      form: { csrf: await b.csrf(), destination: "console-cap" },
    });
    expect(r.status).toBe(400);
    expect(r.html).toContain("Not done: tick the confirmation box first.");
    expect(r.html).toContain('<option value="console-cap" selected>');
    expect(queue.sent).toEqual([]);
  });
});

describe("console POSTs, further", () => {
  it("says so when the session has ended: 403 for an action, the sign-in page for Sign out", async () => {
    const record = await makeDeadLetter(new Date());
    const b = await signedInBrowser();
    const csrf = await b.csrf();
    b.cookies.set(SESSION_COOKIE, await newSession(ADMIN_TOKEN, Date.now() - 12 * 3600 * 1000 - 1000));
    const r = await b.fetch(`/admin/ui/dead-letters/${record.id}/replay`, { form: { csrf, confirm: "yes" } });
    expect(r.status).toBe(403);
    expect(r.html).toContain("Your session has ended");
    expect(r.html).toContain("nothing was changed");
    expect((await admin(`/dead-letters/${record.id}`)).body.state).toBe("dead");
    const out = await b.fetch("/admin/ui/sign-out", { form: { csrf } });
    expect(out.status).toBe(303);
    expect(out.response.headers.get("location")).toBe("/admin");
    const cross = await b.fetch("/admin/ui/sign-out", { form: { csrf }, headers: { "sec-fetch-site": "cross-site" } });
    expect(cross.status).toBe(403);
  });

  it("escapes the Sec-Fetch-Site it names in a refusal", async () => {
    const b = await signedInBrowser();
    const r = await b.fetch("/admin/ui/sign-out", {
      form: { csrf: await b.csrf() },
      headers: { "sec-fetch-site": "<b>bold</b>" },
    });
    expect(r.status).toBe(403);
    expect(r.html).toContain("Sec-Fetch-Site: &lt;b&gt;bold&lt;/b&gt;");
    expect(r.html).not.toContain("<b>");
  });

  it("counts a form's bytes as they arrive: a chunked body (no Content-Length) over 800 KiB is a 413", async () => {
    const b = await signedInBrowser();
    const csrf = await b.csrf();
    const chunk = new TextEncoder().encode(`csrf=${csrf}&event=${"x".repeat(64 * 1024)}`);
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 14) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const request = new Request("https://relay.test/admin/ui/playground", {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        "sec-fetch-site": "same-origin",
        cookie: [...b.cookies].map(([k, v]) => `${k}=${v}`).join("; "),
      },
      body,
    });
    expect(request.headers.has("content-length")).toBe(false);
    const r = await exports.default.fetch(request);
    expect(r.status).toBe(413);
    expect(await r.text()).toContain("The form is over 800 KiB");
  });
});
