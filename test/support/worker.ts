// Worker-side test helpers: sign and post events through the real entry point,
// and read what the fake receiver got.
import { env, exports } from "cloudflare:workers";
import { signBody } from "../../src/ingest/signature.ts";
import { AGENT, CATEGORY, GROUP, TAG, USER } from "./ids.ts";
import { TEST_SECRET } from "./test-env.ts";

export const bindings = env as unknown as Record<string, string>;
export const receiverBase = (): string => bindings.TEST_RECEIVER ?? "";

let counter = 0;
/** A triggerId no other test uses (files run in parallel against one receiver). */
export function uniqueId(prefix = "t"): string {
  counter += 1;
  return `${prefix}-${Date.now().toString(36)}-${counter}-${crypto.randomUUID().slice(0, 8)}`;
}

let idCounter = 0;
/**
 * A fresh id shaped as Gitple's (24 hex digits: the time, a counter, random digits), unique across
 * the files that run in parallel, so a test can still find what the receiver got by it.
 * @example const id = gitpleId(); // "019ad4f3c2e10001a3f09c4b"
 */
export function gitpleId(): string {
  idCounter += 1;
  const [random = 0] = crypto.getRandomValues(new Uint32Array(1));
  const time = Date.now().toString(16).padStart(12, "0").slice(-12);
  return `${time}${(idCounter % 0x10000).toString(16).padStart(4, "0")}${random.toString(16).padStart(8, "0")}`;
}

/**
 * A session_state_close as Gitple sends it: ids in userId, assigneeId, userGroups, categories and
 * tags (test/support/ids.ts; its default tag routes by rule "closes" only), no person's name.
 * @example closeEvent({}, { tags: [TAG.vip] }) // routed by TEST_ROUTING's rule "vip"
 */
export function closeEvent(overrides: Record<string, unknown> = {}, session: Record<string, unknown> = {}) {
  return {
    triggerId: uniqueId("close"),
    ctime: "2019-04-29T09:05:56.001Z",
    appCode: "TEST_APP",
    type: "session_state_close",
    session: {
      id: gitpleId(),
      openTime: "2019-04-29T08:57:15.878Z",
      inprogressTime: "2019-04-29T08:57:15.943Z",
      closeTime: "2019-04-29T09:05:56.000Z",
      reason: "userCancel",
      userId: USER.park,
      userGroups: [GROUP.business],
      assigneeType: "agent",
      assigneeId: AGENT.kim,
      categories: [CATEGORY.payment],
      tags: [TAG.delay],
      note: "session_note_message",
      meta: [],
      ...session,
    },
    ...overrides,
  };
}

export async function signedRequest(
  body: string | object,
  opts: { secret?: string; signature?: string | null; headers?: Record<string, string>; method?: string } = {},
): Promise<Request> {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  const headers: Record<string, string> = { "content-type": "application/json", ...opts.headers };
  const signature = opts.signature === undefined ? await signBody(opts.secret ?? TEST_SECRET, text) : opts.signature;
  if (signature !== null) headers["x-hub-signature"] = signature;
  return new Request("https://relay.test/events", { method: opts.method ?? "POST", headers, body: text });
}

/** Posts through the Worker's real fetch handler. */
export async function post(body: string | object, opts: Parameters<typeof signedRequest>[1] = {}) {
  const response = await exports.default.fetch(await signedRequest(body, opts));
  return { status: response.status, body: (await response.json()) as Record<string, unknown>, response };
}

export interface Received {
  path: string;
  headers: Record<string, string>;
  body: string;
  at: number;
}

/** Successful requests the fake receiver recorded whose body contains `match`. */
export async function received(match: string): Promise<Received[]> {
  const r = await fetch(`${receiverBase()}/__received?match=${encodeURIComponent(match)}`);
  return (await r.json()) as Received[];
}

/** Scripts the fake receiver's answers to requests whose body contains `match`. */
export async function script(match: string, responses: Array<Record<string, unknown>>): Promise<void> {
  await fetch(`${receiverBase()}/__script`, { method: "POST", body: JSON.stringify({ match, responses }) });
}

/** Polls until `check` returns a value that is not undefined, or fails after `timeoutMs`. */
export async function waitFor<T>(
  check: () => Promise<T | undefined>,
  timeoutMs = 10_000,
  what = "condition",
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Waits until the receiver has at least `count` requests containing `match`, then a little longer to catch extras. */
export async function receivedAtLeast(match: string, count: number, timeoutMs = 10_000): Promise<Received[]> {
  await waitFor(
    async () => ((await received(match)).length >= count ? true : undefined),
    timeoutMs,
    `${count} x ${match}`,
  );
  await new Promise((r) => setTimeout(r, 300));
  return received(match);
}

/** Waits for `count` requests containing `match`, then 1.5 s more, so a late duplicate shows in what it returns. */
export async function receivedExactly(match: string, count: number, timeoutMs = 10_000): Promise<Received[]> {
  await receivedAtLeast(match, count, timeoutMs);
  await new Promise((r) => setTimeout(r, 1500));
  return received(match);
}

export interface MailFile {
  /** Where the local send_email binding wrote it. */
  path: string;
  /** The message as the binding received it (its Message-ID replaced by the binding's own). */
  raw: string;
}

/** The .eml files the local send_email binding wrote whose text contains `match`. */
export async function mail(match: string): Promise<MailFile[]> {
  const r = await fetch(`${receiverBase()}/__mail?match=${encodeURIComponent(match)}`);
  return (await r.json()) as MailFile[];
}

/** Waits until at least `count` .eml files contain `match` (the binding writes them after send() resolves). */
export async function mailAtLeast(match: string, count: number, timeoutMs = 10_000): Promise<MailFile[]> {
  await waitFor(
    async () => ((await mail(match)).length >= count ? true : undefined),
    timeoutMs,
    `${count} mail x ${match}`,
  );
  await new Promise((r) => setTimeout(r, 300));
  return mail(match);
}

/** Posts raw bytes through the Worker's fetch, signed over exactly those bytes unless `headers` sets a signature. */
export async function postBytes(body: Uint8Array | string, headers: HeadersInit = {}) {
  const bytes = typeof body === "string" ? new TextEncoder().encode(body) : body;
  const h = new Headers(headers);
  if (!h.has("x-hub-signature")) h.set("x-hub-signature", await signBody(TEST_SECRET, bytes));
  const response = await exports.default.fetch(
    new Request("https://relay.test/events", { method: "POST", headers: h, body: bytes }),
  );
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : null };
}
