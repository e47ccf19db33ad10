// Hostile events that pass every check: they are accepted, and then formatted
// safely all the way to the (fake) Slack; never a 500, never a crash. Bodies
// are written as JSON text where a JS object literal could not say it
// (`__proto__` keys, lone surrogates, NUL escapes). Requests that must be
// refused are in bad-requests.test.ts.
import { describe, expect, it } from "vitest";
import { CATEGORY, TAG } from "../support/ids.ts";
import { slackProblems } from "../support/slack.ts";
import { HOOKS } from "../support/test-env.ts";
import { closeEvent, post, receivedAtLeast, postBytes as send, uniqueId } from "../support/worker.ts";

const KIB = 1024;
const enc = (s: string) => new TextEncoder().encode(s);

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
        `{"triggerId":"${id}","appCode":"TEST_APP","type":"session_state_close","session":{"tags":"${TAG.vip}","categories":"${CATEGORY.payment}"},"from":"agent","to":"user","message":"hi"}`,
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
        `{"__proto__":{"type":"x","polluted":true},"constructor":{"prototype":{"polluted":true}},"triggerId":"${id}","type":"session_state_close","meta":{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},"toString":"x"},"session":{"__proto__":{"tags":["${TAG.vip}"]},"constructor":"x","note":"proto"}}`,
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
      (id) => `{"triggerId":"${id}","type":"session_state_close","session":[{"tags":["${TAG.vip}"]}]}`,
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
    expect(r.body?.destinations).toHaveLength(paths.length);
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
