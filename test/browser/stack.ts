// What the browser tests run against: `wrangler dev` (the Worker with local
// KV, Queues and Durable Objects, started as the benchmark starts it, with a
// throwaway persist dir), the local stand-in receiver (scripts/lib/
// receiver.ts) that plays Slack and webhooks, and the Gitple Open API stand-in
// (scripts/lib/gitple-stand-in.ts) serving the demo names for "acme-shop", so
// rules by name work as with [vars.ROUTING.gitple] in production. Events carry
// ids (DEMO_IDS), as Gitple sends them. Node-side.
import { createHmac } from "node:crypto";
import { startWranglerDev, type WranglerDev } from "../../bench/lib/wrangler.ts";
import { DEMO_API_SECRET, DEMO_IDS } from "../../scripts/lib/gitple-demo-data.ts";
import { type GitpleStandIn, startGitpleStandIn } from "../../scripts/lib/gitple-stand-in.ts";
import { startFakeReceiver } from "../../scripts/lib/receiver.ts";

/** The admin token and signing secret of the browser run (fixed: nothing real). */
export const BROWSER_ADMIN_TOKEN = "browser-admin-token-5f0c2a7e9d4b";
export const BROWSER_SECRET = "browser signing secret";

/** The workspace of the browser run's events (the stand-in serves the demo data for it). */
export const BROWSER_APP_CODE = "acme-shop";

/**
 * The routing config of the browser run: a destination that fails on cue, Korean in rule names, and
 * conditions by Gitple name (the tag "VIP", the root category "배送"), looked up at `gitpleUrl`.
 */
export function browserRouting(gitpleUrl: string) {
  return {
    dedup_ttl_seconds: 3600,
    fallback: ["support-slack"],
    delivery: { max_attempts: 3, backoff_seconds: 0, max_backoff_seconds: 0, timeout_seconds: 5 },
    destinations: {
      "vip-slack": { type: "slack", webhook_url_secret: "SLACK_VIP_URL" },
      "support-slack": { type: "slack", webhook_url_secret: "SLACK_SUPPORT_URL", include_contact: false },
      "orders-slack": { type: "slack", webhook_url_secret: "SLACK_ORDERS_URL" },
      erp: { type: "webhook", url_secret: "ERP_URL" },
    },
    rules: [
      {
        name: "VIP 상담 종료",
        events: ["session_state_close"],
        tags: { any: ["VIP"] },
        destinations: ["vip-slack"],
        stop: true,
      },
      { name: "배송 문의", categories: { any: ["배송"] }, destinations: ["orders-slack", "erp"] },
      { name: "외부 메시지", events: ["send_external_message"], destinations: ["support-slack"] },
    ],
    gitple: { api_secret: "GITPLE_API_SECRET", api_url: gitpleUrl, timeout_seconds: 5 },
  };
}

export interface Stack {
  base: string;
  receiverBase: string;
  /** Every value the pages must never show. */
  secrets: string[];
  stop(): Promise<void>;
}

export async function startStack(): Promise<Stack> {
  const receiver = await startFakeReceiver();
  const receiverBase = `http://127.0.0.1:${receiver.port}`;
  const gitple: GitpleStandIn = await startGitpleStandIn({ appCode: BROWSER_APP_CODE });
  const urls = {
    SLACK_VIP_URL: `${receiverBase}/hook/vip/T000/B000/secretpart1`,
    SLACK_SUPPORT_URL: `${receiverBase}/hook/support/T000/B000/secretpart2`,
    SLACK_ORDERS_URL: `${receiverBase}/hook/orders/T000/B000/secretpart3`,
    ERP_URL: `${receiverBase}/hook/erp/secretpart4`,
  };
  let wrangler: WranglerDev;
  try {
    wrangler = await startWranglerDev(
      {
        ROUTING: browserRouting(gitple.url),
        GITPLE_SECRET: BROWSER_SECRET,
        GITPLE_API_SECRET: DEMO_API_SECRET,
        ADMIN_TOKEN: BROWSER_ADMIN_TOKEN,
        ...urls,
      },
      { timeoutMs: 120_000 },
    );
  } catch (e) {
    await receiver.close();
    await gitple.close();
    throw e;
  }
  return {
    base: wrangler.base,
    receiverBase,
    secrets: [BROWSER_ADMIN_TOKEN, BROWSER_SECRET, DEMO_API_SECRET, ...Object.values(urls), "secretpart"],
    stop: async () => {
      await wrangler.stop();
      await receiver.close();
      await gitple.close();
    },
  };
}

/** Posts an event to the relay, signed as Gitple signs it (X-Hub-Signature: sha256=<hex HMAC of the body>). */
export async function postEvent(stack: Stack, event: object): Promise<Response> {
  const body = JSON.stringify(event);
  const signature = `sha256=${createHmac("sha256", BROWSER_SECRET).update(body).digest("hex")}`;
  return fetch(`${stack.base}/events`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-hub-signature": signature },
    body,
  });
}

/** The JSON admin API, with the bearer token. */
/** The fields of the admin API's answers these tests read. */
export interface AdminBody {
  items?: { id: string; triggerId: string }[];
  state?: string;
}

export async function adminJson(stack: Stack, path: string): Promise<{ status: number; body: AdminBody }> {
  const r = await fetch(`${stack.base}/admin${path}`, { headers: { authorization: `Bearer ${BROWSER_ADMIN_TOKEN}` } });
  const text = await r.text();
  return { status: r.status, body: text ? JSON.parse(text) : {} };
}

/** Tells the stand-in receiver how to answer requests whose body contains `match`. */
export async function script(stack: Stack, match: string, responses: object[]): Promise<void> {
  await fetch(`${stack.receiverBase}/__script`, { method: "POST", body: JSON.stringify({ match, responses }) });
}

/** What the stand-in received (answered 2xx) whose body contains `match`. */
export async function received(stack: Stack, match: string): Promise<{ path: string; body: string }[]> {
  return (await fetch(`${stack.receiverBase}/__received?match=${encodeURIComponent(match)}`)).json() as Promise<
    { path: string; body: string }[]
  >;
}

/** Polls until `check` gives a value, or fails after `timeoutMs`. */
export async function waitFor<T>(check: () => Promise<T | undefined>, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

let counter = 0;
/**
 * A session-close event of "acme-shop" with a unique triggerId, as Gitple sends it: ids only
 * (DEMO_IDS; by default the category 배송 › 분실 › 택배 분실), no person's name.
 */
export function closeEvent(session: Record<string, unknown> = {}) {
  counter += 1;
  return {
    triggerId: `browser-${Date.now().toString(36)}-${counter}`,
    ctime: "2019-04-29T09:05:56.001Z",
    appCode: BROWSER_APP_CODE,
    type: "session_state_close",
    session: {
      id: `5cc6b9a2b8e4f70fbb1d4a${String(counter).padStart(2, "0")}`,
      openTime: "2019-04-29T08:57:15.878Z",
      inprogressTime: "2019-04-29T08:58:02.114Z",
      closeTime: "2019-04-29T09:05:56.000Z",
      reason: "userCancel",
      userId: DEMO_IDS.users.park,
      userGroups: [DEMO_IDS.userGroups.premium],
      assigneeType: "agent",
      assigneeId: DEMO_IDS.agents.kim,
      tags: [],
      categories: [DEMO_IDS.categories.parcelLost],
      note: "택배 분실로 환불 요청. 고객님께 다시 연락드리기로 함.",
      ...session,
    },
  };
}
