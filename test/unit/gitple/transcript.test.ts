import { describe, expect, it } from "vitest";
import { DEMO_IDS } from "../../../scripts/lib/gitple-demo-data.ts";
import { fetchTranscript, normalizeTranscript, transcriptIds } from "../../../src/gitple/transcript.ts";
import { workspace } from "./stand-in.ts";

const I = DEMO_IDS;
const soon = () => Date.now() + 3000;

describe("fetchTranscript (against the stand-in)", () => {
  it("the demo session: oldest first, text, an image link, an emoticon, Korean text, ids as strings", async () => {
    const ws = await workspace();
    const r = await fetchTranscript(ws.conn, I.sessions.demo, { last: 200, deadline: soon() });
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    const { messages, raw, omitted } = r.value;
    expect(messages).toHaveLength(12);
    expect(raw).toHaveLength(12);
    expect(omitted).toBe(0);
    expect(messages[0]).toEqual({
      time: "2019-04-29T09:01:00.000Z",
      senderType: "bot",
      senderId: "0",
      content: { kind: "text", text: "안녕하세요! 무엇을 도와드릴까요?" },
    });
    expect(messages[1]).toMatchObject({
      senderType: "user",
      senderId: I.users.park,
      content: { text: "택배가 도착하지 않았어요." },
    });
    expect(messages.map((m) => m.senderType)).toContain("sys");
    expect(messages[6]?.content).toEqual({
      kind: "link",
      mime: "image/png",
      url: "https://example.com/demo/parcel.png",
    });
    expect(messages[9]?.content).toEqual({ kind: "emoticon", alt: "😄" });
    const times = messages.map((m) => Date.parse(m.time));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(raw[0]).toMatchObject({ senderType: "bot", content: "안녕하세요! 무엇을 도와드릴까요?" });
    expect((await ws.calls()).calls).toEqual({ [`/exports/sessions/${I.sessions.demo}/messages`]: 1 });
    expect(transcriptIds(r.value)).toEqual({ agents: [I.agents.kim], users: [I.users.park] });
  });

  it("200 messages, last 20: the newest twenty, oldest of them first, the rest counted", async () => {
    const ws = await workspace();
    const r = await fetchTranscript(ws.conn, I.sessions.long, { last: 20, deadline: soon() });
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    expect(r.value.omitted).toBe(180);
    expect(r.value.messages.map((m) => (m.content.kind === "text" ? m.content.text : ""))).toEqual(
      [...Array(20)].map((_, i) => `메시지 ${181 + i}`),
    );
  });

  it("200 messages, last 200: all of them in order", async () => {
    const ws = await workspace();
    const r = await fetchTranscript(ws.conn, I.sessions.long, { last: 200, deadline: soon() });
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    expect(r.value.messages).toHaveLength(200);
    expect(r.value.messages[0]?.content).toEqual({ kind: "text", text: "메시지 1" });
    expect(r.value.messages[199]?.content).toEqual({ kind: "text", text: "메시지 200" });
  });

  it("an unknown session is unknown; a hang is unavailable by the deadline; a non-token id is never requested", async () => {
    const ws = await workspace();
    const missing = await fetchTranscript(ws.conn, "5cc14b61415b8906cfa1dead", { last: 5, deadline: soon() });
    expect(missing).toEqual({ ok: false, error: { reason: "unknown" } });
    await ws.misbehave(`/exports/sessions/${I.sessions.demo}/messages`, { hang: true });
    const hung = await fetchTranscript(ws.conn, I.sessions.demo, { last: 5, deadline: Date.now() + 300 });
    expect(hung.ok ? "ok" : hung.error.reason).toBe("unavailable");
    const before = (await ws.calls()).total;
    const hostile = await fetchTranscript(ws.conn, "../users/x", { last: 5, deadline: soon() });
    expect(hostile).toEqual({ ok: false, error: { reason: "unknown" } });
    expect((await ws.calls()).total).toBe(before);
  });
});

describe("normalizeTranscript: odd shapes never throw", () => {
  const at = (n: number) => new Date(Date.UTC(2019, 3, 29, 9, n)).toISOString();

  it.each<[string, unknown, unknown]>([
    ["a plain string", "안녕", { kind: "text", text: "안녕" }],
    [
      "a link",
      { l: { m: "application/pdf", u: "https://example.com/a.pdf" } },
      { kind: "link", mime: "application/pdf", url: "https://example.com/a.pdf" },
    ],
    [
      "a link without a mime",
      { l: { u: "https://example.com/a" } },
      { kind: "link", mime: "application/octet-stream", url: "https://example.com/a" },
    ],
    ["a javascript: link", { l: { m: "text/html", u: "javascript:alert(1)" } }, { kind: "text", text: "[link]" }],
    ["a link without a URL", { l: {} }, { kind: "text", text: "[link]" }],
    ["an emoticon without alt", { e: {} }, { kind: "emoticon", alt: "" }],
    ["a text part", { t: "hello" }, { kind: "text", text: "hello" }],
    ["an unknown object", { x: 1 }, { kind: "text", text: "[unsupported content]" }],
    ["null", null, { kind: "text", text: "[unsupported content]" }],
    ["a number", 42, { kind: "text", text: "[unsupported content]" }],
  ])("%s", (_label, content, expected) => {
    const { messages } = normalizeTranscript([{ senderType: "user", senderId: "u", content, ctime: at(1) }], 10);
    expect(messages[0]?.content).toEqual(expected);
  });

  it("skips items that are not objects or have no usable time; odd senders read as sys, ids as strings", () => {
    const { messages } = normalizeTranscript(
      [
        null,
        "text",
        [1],
        { content: "no time" },
        { content: "bad time", ctime: "yesterday" },
        { senderType: "robot", senderId: 12, content: "x", ctime: at(2) },
        { senderType: "agent", senderId: { id: 1 }, content: "y", ctime: Date.parse(at(1)) },
      ],
      10,
    );
    expect(messages).toEqual([
      { time: at(1), senderType: "agent", senderId: "", content: { kind: "text", text: "y" } },
      { time: at(2), senderType: "sys", senderId: "12", content: { kind: "text", text: "x" } },
    ]);
  });

  it.each([{}, null, "x", 7, { messages: [] }])("a body that is not an array (%j): no messages", (body) => {
    expect(normalizeTranscript(body, 10)).toEqual({ messages: [], raw: [], omitted: 0 });
  });

  it("equal times keep the conversation's order (the API lists newest first)", () => {
    const t = at(5);
    const { messages } = normalizeTranscript(
      [
        { senderType: "user", senderId: "u", content: "second", ctime: t },
        { senderType: "user", senderId: "u", content: "first", ctime: t },
      ],
      10,
    );
    expect(messages.map((m) => (m.content.kind === "text" ? m.content.text : ""))).toEqual(["first", "second"]);
  });

  it.each([
    [0, 0],
    [-3, 0],
    [Number.NaN, 0],
    [1, 1],
    [500, 3],
  ])("last = %d keeps %d of 3", (last, kept) => {
    const items = [1, 2, 3].map((n) => ({ senderType: "bot", senderId: 0, content: `m${n}`, ctime: at(n) }));
    const r = normalizeTranscript(items, last);
    expect(r.messages).toHaveLength(kept);
    expect(r.omitted).toBe(3 - kept);
  });
});
