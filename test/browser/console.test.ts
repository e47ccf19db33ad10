// The operator console in a real browser: Debian's Chromium, headless, driven
// by puppeteer-core, against `wrangler dev` and the stand-in receiver
// (stack.ts). Screenshots of every page go to test-results/screenshots/.
// Without Chromium the file is skipped with a message, except in CI (CI=true),
// where it must run: .ci/run installs Chromium first.
import { existsSync, mkdirSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import puppeteer, { type Browser, type Page } from "puppeteer-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_IDS } from "../../scripts/lib/gitple-demo-data.ts";
import {
  adminJson,
  BROWSER_ADMIN_TOKEN,
  closeEvent,
  postEvent,
  received,
  type Stack,
  script,
  startStack,
  waitFor,
} from "./stack.ts";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const SHOTS = "test-results/screenshots";
const XSS = "<script>alert(1)</script><img src=x onerror=alert(2)>";
const present = existsSync(CHROMIUM);
if (!present && process.env.CI)
  throw new Error(`Chromium is required in CI: ${CHROMIUM} is missing (.ci/run installs it)`);
if (!present)
  console.warn(`test/browser skipped: no Chromium at ${CHROMIUM} (apt-get install chromium fonts-noto-cjk)`);

let stack: Stack;
let browser: Browser;
let page: Page;
const dialogs: string[] = [];

async function shot(name: string) {
  await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
}

/** Clicks and waits for the navigation it causes; the final answer's status. */
async function submit(selector: string, on: Page = page): Promise<number> {
  const [response] = await Promise.all([on.waitForNavigation(), on.click(selector)]);
  return response?.status() ?? 0;
}

async function open(path: string): Promise<number> {
  return (await page.goto(`${stack.base}${path}`))?.status() ?? 0;
}

const text = (on: Page = page) => on.$eval("main", (m) => m.textContent ?? "");

/** Posts an event that the stand-in answers 404 (permanent), and waits for its dead letter. */
async function deadLetterFor(event: ReturnType<typeof closeEvent>): Promise<string> {
  await script(stack, event.triggerId, [{ status: 404, body: "channel_not_found" }]);
  expect((await postEvent(stack, event)).status).toBe(202);
  return waitFor(async () => {
    const list = await adminJson(stack, "/dead-letters?limit=100");
    return (list.body.items ?? []).find((i) => i.triggerId === event.triggerId)?.id;
  }, `the dead letter of ${event.triggerId}`);
}

describe.skipIf(!present)("the console in Chromium", () => {
  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    stack = await startStack();
    browser = await puppeteer.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--lang=ko-KR"],
    });
    page = await browser.newPage();
    await page.setViewport({ width: 1200, height: 900 });
    page.on("dialog", async (d) => {
      dialogs.push(d.message());
      await d.dismiss();
    });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  }, 60_000);

  it("refuses a wrong token", async () => {
    expect(await open("/admin")).toBe(200);
    await shot("sign-in");
    await page.type("#token", "not-the-token");
    expect(await submit("button[type=submit]")).toBe(401);
    expect(await text()).toContain("Wrong token");
    expect((await page.cookies()).map((c) => c.name)).not.toContain("relay_console");
  });

  it("signs in, and the status page shows the config valid", async () => {
    await page.type("#token", BROWSER_ADMIN_TOKEN);
    expect(await submit("button[type=submit]")).toBe(200);
    const session = (await page.cookies()).find((c) => c.name === "relay_console");
    expect(session).toMatchObject({ httpOnly: true, secure: true, sameSite: "Strict", path: "/admin" });
    const status = await text();
    expect(status).toContain("valid: 3 rules, 4 destinations");
    expect(status).toContain("SLACK_VIP_URL");
    await shot("status");
  });

  it("shows the rules tree", async () => {
    await page.click("nav a[href='/admin/ui/rules']");
    await page.waitForSelector("pre.tree");
    expect(await text()).toContain(
      '1. "VIP 상담 종료"  events=[session_state_close] tags.any=[VIP]  → vip-slack, stop',
    );
    await shot("rules");
  });

  it("shows a permanently failed delivery in Deliveries and Dead letters; Replay sends it once", async () => {
    const event = closeEvent({ tags: [DEMO_IDS.sessionTags.vip] });
    const id = await deadLetterFor(event);
    expect(await open(`/admin/ui/deliveries?triggerId=${event.triggerId}`)).toBe(200);
    expect(await text()).toContain("dead");
    await shot("deliveries");

    expect(await open("/admin/ui/dead-letters")).toBe(200);
    expect(await text()).toContain(event.triggerId);
    await page.select("#destination", "vip-slack");
    await submit("form[method=get] button");
    expect(await text()).toContain(event.triggerId);
    await shot("dead-letters");

    await submit(`a[href='/admin/ui/dead-letters/${id}']`);
    const detail = await text();
    expect(detail).toContain("HTTP 404");
    expect(detail).toContain("택배 분실로 환불 요청");
    await shot("dead-letter");

    expect(await received(stack, event.triggerId)).toHaveLength(0);
    await page.click(`form[action$='/replay'] input[name=confirm]`);
    expect(await submit(`form[action$='/replay'] button`)).toBe(200);
    expect(await text()).toContain("Replayed 1.");
    const got = await waitFor(async () => {
      const r = await received(stack, event.triggerId);
      return r.length > 0 ? r : undefined;
    }, "the replayed delivery");
    await new Promise((r) => setTimeout(r, 1000));
    expect(await received(stack, event.triggerId)).toHaveLength(1);
    expect(got[0]?.path).toMatch(/^\/hook\/vip\//);
    expect(await open("/admin/ui/dead-letters")).toBe(200);
    expect(await text()).not.toContain(event.triggerId);
  });

  it("deletes one", async () => {
    const event = closeEvent({ tags: [DEMO_IDS.sessionTags.vip] });
    const id = await deadLetterFor(event);
    expect(await open(`/admin/ui/dead-letters/${id}`)).toBe(200);
    await page.click(`form[action$='/delete'] input[name=confirm]`);
    expect(await submit(`form[action$='/delete'] button`)).toBe(200);
    expect(await text()).toContain("Deleted 1 dead letter.");
    expect(await text()).not.toContain(event.triggerId);
    expect((await adminJson(stack, `/dead-letters/${id}`)).status).toBe(404);
  });

  it("shows the matched rules and the messages for a pasted event in the playground", async () => {
    expect(await open("/admin/ui/playground")).toBe(200);
    const event = closeEvent({ tags: [DEMO_IDS.sessionTags.vip], note: `VIP 고객 *긴급* 요청 ${XSS}` });
    await page.$eval(
      "textarea",
      (t, v) => {
        (t as unknown as { value: string }).value = v;
      },
      JSON.stringify(event, null, 2),
    );
    expect(await submit("#explain")).toBe(200);
    const shown = await text();
    expect(shown).toContain('✓ matched "VIP 상담 종료" → vip-slack');
    expect(shown).toContain('✗ "배송 문의": failed not evaluated');
    expect(shown).toContain("Message to vip-slack");
    // The event's ids, shown by the names the Open API stand-in gives them.
    expect(shown).toContain("배송 › 분실 › 택배 분실");
    expect(shown).toContain(XSS);
    expect(await page.$$eval(".sk img, main img", (imgs) => imgs.length)).toBe(0);
    await shot("playground");
    const other = closeEvent({ tags: [], categories: [DEMO_IDS.categories.refund] }); // 결제 › 환불
    await page.$eval(
      "textarea",
      (t, v) => {
        (t as unknown as { value: string }).value = v;
      },
      JSON.stringify(other),
    );
    await submit("#explain");
    expect(await text()).toContain('✗ "배송 문의": failed categories.any');
    expect(dialogs).toEqual([]);
  });

  it("renders an XSS payload in a note as text: no dialog fires", async () => {
    const event = closeEvent({ tags: [DEMO_IDS.sessionTags.vip], note: XSS });
    const id = await deadLetterFor(event);
    expect(await open(`/admin/ui/dead-letters/${id}`)).toBe(200);
    expect(await text()).toContain(XSS);
    expect(await page.$$eval("main script, main img", (n) => n.length)).toBe(0);
    await new Promise((r) => setTimeout(r, 300));
    expect(dialogs).toEqual([]);
    await shot("dead-letter-xss");
  });

  it("refuses a cross-site and a same-site POST with 403, and changes nothing", async () => {
    const event = closeEvent({ tags: [DEMO_IDS.sessionTags.vip] });
    const id = await deadLetterFor(event);
    await open(`/admin/ui/dead-letters/${id}`);
    // Even holding this session's real CSRF token, another site's form is refused.
    const csrf = await page.$eval("input[name=csrf]", (i) => (i as unknown as { value: string }).value);
    const action = `${stack.base}/admin/ui/dead-letters/${id}/delete`;
    const attacker: Server = createServer((_req, res) => {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      res.end(
        `<!DOCTYPE html><form method="post" action="${action}"><input type="hidden" name="csrf" value="${csrf}"><input type="hidden" name="confirm" value="yes"><button id="go">win a prize</button></form>`,
      );
    });
    await new Promise<void>((r) => attacker.listen(0, "127.0.0.1", r));
    const port = (attacker.address() as AddressInfo).port;
    try {
      // localhost vs 127.0.0.1: another site (no cookie, Sec-Fetch-Site: cross-site); another port: same-site.
      for (const origin of [`http://localhost:${port}`, `http://127.0.0.1:${port}`]) {
        await page.goto(`${origin}/`);
        expect(await submit("#go"), origin).toBe(403);
        expect(await page.$eval("body", (b) => b.textContent ?? "")).toContain("nothing was changed");
      }
      await shot("cross-site-refused");
    } finally {
      attacker.closeAllConnections();
      await new Promise((r) => attacker.close(r));
    }
    expect((await adminJson(stack, `/dead-letters/${id}`)).body.state).toBe("dead");
  });

  it("never shows a secret value or webhook URL on any page", async () => {
    for (const path of ["/admin", "/admin/ui/rules", "/admin/ui/dead-letters", "/admin/ui/playground"]) {
      await open(path);
      const html = await page.content();
      for (const secret of stack.secrets) expect(html, `${path}`).not.toContain(secret);
    }
    // Sign-out is a button; afterwards every page leads to the sign-in form.
    await submit(".out button");
    expect(await open("/admin/ui/rules")).toBe(200);
    expect(page.url()).toBe(`${stack.base}/admin`);
    expect(await page.$("#token")).not.toBeNull();
  });
});
