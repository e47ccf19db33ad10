// Broken and hostile requests that must be refused: each gets a clear 4xx
// (and the same short answer as any other request with that problem), never a
// 500. Hostile events that are accepted are in hostile.test.ts.
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import relay from "../../src/index.ts";
import { signBody } from "../../src/ingest/signature.ts";
import { TEST_SECRET } from "../support/test-env.ts";
import { closeEvent, postBytes as send, uniqueId } from "../support/worker.ts";

const KIB = 1024;
const enc = (s: string) => new TextEncoder().encode(s);
const close = (id: string, session: string) =>
  `{"triggerId":"${id}","appCode":"TEST_APP","type":"session_state_close","session":${session}}`;

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

  it("answers a broken body stream on POST /admin/explain with the same 400", async () => {
    let sent = false;
    const stream = new ReadableStream({
      pull(controller) {
        if (sent) return controller.error(new Error("client went away"));
        sent = true;
        controller.enqueue(enc('{"triggerId":"'));
      },
    });
    const ctx = { waitUntil() {}, passThroughOnException() {}, props: {} } as unknown as ExecutionContext;
    const token = (env as unknown as Record<string, string>).ADMIN_TOKEN;
    const request = new Request("https://relay.test/admin/explain", {
      method: "POST",
      body: stream,
      headers: { authorization: `Bearer ${token}` },
    });
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
