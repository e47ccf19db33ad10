// Hostile and broken input: each gets a clear 4xx, or is accepted and then
// formatted safely all the way to the (fake) Slack; never a 500, never a crash.
// Bodies are written as JSON text where a JS object literal could not say it
// (`__proto__` keys, lone surrogates, NUL escapes).
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import relay from "../../src/index.ts";
import { signBody } from "../../src/ingest/signature.ts";
import { slackProblems } from "../support/slack.ts";
import { HOOKS, TEST_SECRET } from "../support/test-env.ts";
import { closeEvent, post, receivedAtLeast, uniqueId } from "../support/worker.ts";

const KIB = 1024;
const enc = (s: string) => new TextEncoder().encode(s);

/** Sends raw bytes, signed over exactly those bytes unless `headers` says otherwise. */
async function send(body: Uint8Array | string, headers: HeadersInit = {}) {
  const bytes = typeof body === "string" ? enc(body) : body;
  const h = new Headers(headers);
  if (!h.has("x-hub-signature")) h.set("x-hub-signature", await signBody(TEST_SECRET, bytes));
  const response = await exports.default.fetch(
    new Request("https://relay.test/events", { method: "POST", headers: h, body: bytes }),
  );
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

/** Waits for the deliveries of `triggerId`, checks where they went and that each is a safe Slack message. */
async function expectDeliveredSafely(triggerId: string, paths: string[]) {
  const got = await receivedAtLeast(triggerId, paths.length, 15_000);
  expect(got.map((r) => r.path).sort()).toEqual([...paths].sort());
  for (const r of got) expect(slackProblems(r.body)).toEqual([]);
  return got.map((r) => JSON.parse(r.body) as { text: string; blocks: { text?: { text: string } }[] });
}

const close = (id: string, session: string) =>
  `{"triggerId":"${id}","appCode":"TEST_APP","type":"session_state_close","session":${session}}`;

describe.concurrent("hostile events that are accepted, then formatted safely", () => {
  it.each<[string, (id: string) => string, string[]]>([
    [
      "JSON nested 100,000 levels deep in meta",
      (id) => `{"triggerId":"${id}","type":"session_state_close","meta":${"[".repeat(100_000)}${"]".repeat(100_000)}}`,
      [HOOKS["main-slack"]],
    ],
    [
      "objects nested 20,000 levels deep inside the session",
      (id) => close(id, `{"note":"deep","x":${'{"a":'.repeat(20_000)}1${"}".repeat(20_000)}}`),
      [HOOKS["main-slack"]],
    ],
    [
      "100,000 tags",
      (id) => close(id, `{"tags":[${Array.from({ length: 100_000 }, (_, i) => i % 10).join(",")}]}`),
      [HOOKS["main-slack"]],
    ],
    [
      "arrays where strings are expected",
      (id) =>
        close(
          id,
          '{"id":["s1"],"reason":["<!channel>"],"note":["a","b"],"userId":[1,2],"assigneeType":[],"openTime":[0]}',
        ),
      [HOOKS["main-slack"]],
    ],
    [
      "strings where lists and objects are expected (a lone tag string counts as one tag)",
      (id) =>
        `{"triggerId":"${id}","appCode":"TEST_APP","type":"session_state_close","session":{"tags":"vip","categories":"billing"},"from":"agent","to":"user","message":"hi"}`,
      [HOOKS["vip-slack"], HOOKS["main-slack"]],
    ],
    [
      "objects and numbers where strings are expected in a message",
      (id) =>
        `{"triggerId":"${id}","type":"send_external_message","from":{"type":{},"id":1e400},"to":{"name":{"first":"x"},"tags":[{},[],null]},"message":{"content":{"text":"<!here>"}}}`,
      [HOOKS["second-slack"]],
    ],
    [
      "null everywhere",
      (id) =>
        `{"triggerId":"${id}","appCode":null,"ctime":null,"type":"session_state_close","session":{"id":null,"openTime":null,"closeTime":null,"reason":null,"userId":null,"assigneeType":null,"assigneeId":null,"note":null,"tags":null,"categories":null,"userGroups":null},"from":null,"to":null,"message":null,"meta":null}`,
      [HOOKS["main-slack"]],
    ],
    [
      "__proto__ and constructor keys in meta, session and the top level (no pollution, no routing by them)",
      (id) =>
        `{"__proto__":{"type":"x","polluted":true},"constructor":{"prototype":{"polluted":true}},"triggerId":"${id}","type":"session_state_close","meta":{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},"toString":"x"},"session":{"__proto__":{"tags":["vip"]},"constructor":"x","note":"proto"}}`,
      [HOOKS["main-slack"]],
    ],
    [
      "a type named __proto__ (routed as an unknown type, to the fallback)",
      (id) => `{"triggerId":"${id}","type":"__proto__","session":{"note":"x"}}`,
      [HOOKS.ops],
    ],
    [
      "NUL and other control characters, escaped, in every field",
      (id) =>
        close(
          id,
          '{"id":"s\\u0000\\u0001","reason":"a\\u0000b","note":"line\\u0000one\\r\\nline\\u0007two","tags":["t\\u0000","\\u001b[31mred"]}',
        ).replace(`"${id}"`, `"${id}\\u0000"`),
      [HOOKS["main-slack"]],
    ],
    [
      "lone surrogates (valid JSON escapes, not valid Unicode)",
      (id) => close(id, '{"reason":"\\ud800","note":"x\\udc00y\\ud83d","tags":["\\udfff"]}'),
      [HOOKS["main-slack"]],
    ],
    [
      "Slack control sequences in every field",
      (id) =>
        close(
          id,
          '{"id":"<!channel>","userId":"<@U123>","reason":"<!here>","note":"<!everyone> <https://evil.example|click> &amp; <#C1>","tags":["<!subteam^S1>"]}',
        ),
      [HOOKS["main-slack"]],
    ],
    [
      "a session_state_close without a session",
      (id) => `{"triggerId":"${id}","type":"session_state_close"}`,
      [HOOKS["main-slack"]],
    ],
    [
      "a session that is a list",
      (id) => `{"triggerId":"${id}","type":"session_state_close","session":[{"tags":["vip"]}]}`,
      [HOOKS["main-slack"]],
    ],
    [
      "a UTF-8 byte order mark before the JSON",
      (id) => `\ufeff{"triggerId":"${id}","type":"session_state_close"}`,
      [HOOKS["main-slack"]],
    ],
    [
      "a trailing newline, signed over",
      (id) => `{"triggerId":"${id}","type":"session_state_close"}\n`,
      [HOOKS["main-slack"]],
    ],
  ])("%s", async (_what, body, paths) => {
    const id = uniqueId("hostile");
    const r = await send(body(id));
    expect(r.status).toBe(202);
    expect(r.body.destinations).toHaveLength(paths.length);
    await expectDeliveredSafely(id, paths);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("shows a Slack control sequence as text, never as a mention or link", async () => {
    const event = closeEvent({}, { note: "<!channel> please <https://evil.example|reset your password>" });
    expect((await post(event)).status).toBe(202);
    const [message] = await expectDeliveredSafely(event.triggerId, [HOOKS["main-slack"]]);
    expect(JSON.stringify(message?.blocks)).toContain("&lt;!channel&gt; please &lt;https://evil.example|reset");
  });

  it("delivers a body of exactly 256 KiB (its copy travels through KV)", async () => {
    const event = closeEvent();
    const base = JSON.stringify({ ...event, pad: "" });
    const padded = JSON.stringify({ ...event, pad: "p".repeat(256 * KIB - base.length) });
    expect(enc(padded).byteLength).toBe(256 * KIB);
    expect((await send(padded)).status).toBe(202);
    await expectDeliveredSafely(event.triggerId, [HOOKS["main-slack"]]);
  });
});

describe("broken requests get a clear 4xx", () => {
  const id = () => uniqueId("broken");
  it.each<[string, () => Uint8Array | string, number, string]>([
    ["a 0-byte body", () => "", 400, "body is not valid JSON"],
    [
      "a raw NUL byte inside a string",
      () => `{"triggerId":"${id()}","type":"x","n":"a\u0000b"}`,
      400,
      "body is not valid JSON",
    ],
    ["a raw NUL byte between tokens", () => `{"triggerId":"${id()}",\u0000"type":"x"}`, 400, "body is not valid JSON"],
    ["null", () => "null", 400, "body must be a JSON object"],
    ["a null triggerId", () => '{"triggerId":null,"type":"x"}', 400, 'missing or empty string field "triggerId"'],
    ["a null type", () => `{"triggerId":"${id()}","type":null}`, 400, 'missing or empty string field "type"'],
    [
      "a triggerId that is a list",
      () => '{"triggerId":["a"],"type":"x"}',
      400,
      'missing or empty string field "triggerId"',
    ],
    [
      "a type that is an object",
      () => `{"triggerId":"${id()}","type":{}}`,
      400,
      'missing or empty string field "type"',
    ],
    [
      "an appCode of 257 characters",
      () => `{"triggerId":"${id()}","type":"x","appCode":"${"a".repeat(257)}"}`,
      400,
      'field "appCode" is longer than 256 characters',
    ],
    ...(
      [
        ["a lone continuation byte", [0x80]],
        ["an overlong encoding of /", [0xc0, 0xaf]],
        ["a UTF-16 surrogate encoded as UTF-8", [0xed, 0xa0, 0x80]],
        ["a code point above U+10FFFF", [0xf4, 0x90, 0x80, 0x80]],
        ["a 4-byte sequence cut short", [0xf0, 0x9f, 0x98]],
      ] as const
    ).map(([what, bad]): [string, () => Uint8Array, number, string] => [
      `invalid UTF-8: ${what}`,
      () => new Uint8Array([...enc(`{"triggerId":"${id()}","type":"x","n":"`), ...bad, ...enc('"}')]),
      400,
      "body is not valid UTF-8",
    ]),
    [
      "a UTF-16 body",
      () => new Uint8Array([0xff, 0xfe, ...[...'{"triggerId":"u","type":"x"}'].flatMap((c) => [c.charCodeAt(0), 0])]),
      400,
      "body is not valid UTF-8",
    ],
  ])("%s", async (_what, body, status, error) => {
    expect(await send(body())).toEqual({ status, body: { error } });
  });

  it("answers 413 for a signed JSON event one byte over 256 KiB", async () => {
    const event = closeEvent();
    const base = JSON.stringify({ ...event, pad: "" });
    const over = JSON.stringify({ ...event, pad: "p".repeat(256 * KIB - base.length + 1) });
    expect(enc(over).byteLength).toBe(256 * KIB + 1);
    expect(await send(over)).toEqual({ status: 413, body: { error: "body too large (limit 256 KiB)" } });
  });

  it("answers 413 for 100,000 string tags (over the limit), before checking the signature", async () => {
    const body = close(id(), `{"tags":[${Array.from({ length: 100_000 }, () => '"tag"').join(",")}]}`);
    expect(enc(body).byteLength).toBeGreaterThan(256 * KIB);
    expect((await send(body, { "x-hub-signature": `sha256=${"0".repeat(64)}` })).status).toBe(413);
  });

  it.each<[string, (signature: string) => HeadersInit]>([
    [
      "repeated (the same valid signature twice)",
      (s) => [
        ["x-hub-signature", s],
        ["x-hub-signature", s],
      ],
    ],
    [
      "repeated (a valid and a wrong one)",
      (s) => [
        ["x-hub-signature", `sha256=${"0".repeat(64)}`],
        ["x-hub-signature", s],
      ],
    ],
    ["oversized (64 KiB)", (s) => ({ "x-hub-signature": s + "0".repeat(64 * KIB) })],
    ["padded with 64 KiB of spaces inside", (s) => ({ "x-hub-signature": s.replace("=", `=${" ".repeat(64 * KIB)}`) })],
    ["sha256 in upper case", (s) => ({ "x-hub-signature": s.replace("sha256", "SHA256") })],
  ])("answers 401 for a signature header that is %s", async (_what, headers) => {
    const body = JSON.stringify(closeEvent());
    const signature = await signBody(TEST_SECRET, body);
    expect(await send(body, headers(signature))).toEqual({ status: 401, body: { error: "invalid signature" } });
  });

  it("answers 401 for a signature over the body with CRLF line endings instead of LF", async () => {
    const body = `${JSON.stringify(closeEvent())}\n`;
    const r = await send(body, { "x-hub-signature": await signBody(TEST_SECRET, body.replace("\n", "\r\n")) });
    expect(r.status).toBe(401);
  });

  it("ignores oversized and repeated unrelated headers", async () => {
    const event = closeEvent();
    const headers = new Headers({ "x-padding": "p".repeat(128 * KIB) });
    for (let i = 0; i < 200; i++) headers.append("x-repeated", `v${i}`);
    headers.append("content-type", "text/plain");
    expect((await send(JSON.stringify(event), headers)).status).toBe(202);
  });

  it("answers 413 for a declared Content-Length over the limit, without reading the body", async () => {
    const stream = new ReadableStream({
      pull() {
        throw new Error("the body must not be read");
      },
    });
    const response = await exports.default.fetch(
      new Request("https://relay.test/events", {
        method: "POST",
        body: stream,
        headers: { "content-length": String(256 * KIB + 1) },
      }),
    );
    expect(response.status).toBe(413);
  });

  it("answers a body stream that breaks mid-way with a 4xx, not a 500", async () => {
    let sent = false;
    const stream = new ReadableStream({
      pull(controller) {
        if (sent) return controller.error(new Error("client went away"));
        sent = true;
        controller.enqueue(enc('{"triggerId":"'));
      },
    });
    // Through the module itself: a subrequest (exports.default) would hand the Worker a cut body instead.
    const ctx = { waitUntil() {}, passThroughOnException() {}, props: {} } as unknown as ExecutionContext;
    const request = new Request("https://relay.test/events", { method: "POST", body: stream });
    const response = await relay.fetch(request, env as Env, ctx);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: "body could not be read" });
  });

  it("keeps GET /health and unknown paths boring under odd requests", async () => {
    for (const [method, path] of [
      ["HEAD", "/events"],
      ["OPTIONS", "/events"],
      ["GET", `/${"a".repeat(8 * KIB)}`],
      ["POST", "/health"],
    ] as const) {
      const response = await exports.default.fetch(new Request(`https://relay.test${path}`, { method }));
      expect(response.status, `${method} ${path.slice(0, 20)}`).toBeLessThan(500);
      expect(response.status).toBeGreaterThanOrEqual(400);
    }
  });
});
