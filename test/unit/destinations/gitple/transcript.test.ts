// Issue 10, the transcript on close: `transcript = N` fetched inside the attempt from the real Open
// API stand-in, oldest first, each message with its time (in the zone), its sender by name and its
// content; every kind within its limits (cut from the oldest, saying how many were left out); the
// webhook envelope with Gitple's raw items; "transcript unavailable" when the Open API fails or
// hangs, and the notice still goes out. No Open API secret in anything posted.
import { describe, expect, it } from "vitest";
import { DISCORD_LIMITS, embedLength } from "../../../../src/destinations/discord/format.ts";
import { GOOGLE_CHAT_LIMITS } from "../../../../src/destinations/google-chat/format.ts";
import type { DestinationConfig } from "../../../../src/destinations/registry.ts";
import { render, sendTo } from "../../../../src/destinations/registry.ts";
import { formatSlack, SLACK_LIMITS } from "../../../../src/destinations/slack/format.ts";
import { TEAMS_LIMITS } from "../../../../src/destinations/teams/format.ts";
import { withTranscript } from "../../../../src/destinations/transcript/fetch.ts";
import { viewEvent } from "../../../../src/event/view.ts";
import { TRANSCRIPT_UNAVAILABLE } from "../../../../src/format/transcript.ts";
import { validateRouting } from "../../../../src/routing/load.ts";
import { STAND_IN_SECRET, workspace } from "../../gitple/stand-in.ts";
import { base, closeEvent, context, I, kinds, namesFor, received } from "./support.ts";

const EMAIL = {
  type: "email",
  provider: "cloudflare",
  binding: "EMAIL",
  from: "relay@example.com",
  to: ["ops@example.com"],
  include_contact: false,
} as unknown as DestinationConfig;

const closeBody = () => ({ type: "session_state_close", triggerId: "long-1", session: { id: I.sessions.long } });
const bytes = (s: string) => new TextEncoder().encode(s).byteLength;

/** Sends through the kind's deliver (which fetches the transcript) to the fake receiver; the body posted. */
async function deliver(
  kind: string,
  dest: DestinationConfig,
  opts: { sessionId?: string; timezone?: string; hang?: boolean; status?: number; gitple?: null } = {},
) {
  const ws = await workspace();
  const triggerId = `transcript-${kind}-${crypto.randomUUID()}`;
  const body = closeEvent(ws, triggerId, opts.sessionId);
  const names = await namesFor(ws, body);
  // The event's names resolved first; the transcript's fetch is the next request.
  if (opts.hang) await ws.misbehave("*", { hang: true });
  if (opts.status) await ws.misbehave("*", { status: opts.status });
  const ctx = context(ws, body, dest, {
    names,
    ...(opts.timezone && { timezone: opts.timezone }),
    ...(opts.gitple === null && { gitple: null }),
    secrets: { KIND_URL: `${base}/hook/transcript-${kind}` },
  });
  const started = Date.now();
  const outcome = await sendTo(dest, ctx);
  const tookMs = Date.now() - started;
  const got = await received(triggerId);
  expect(outcome).toEqual({ ok: true, status: 200 });
  expect(got).toHaveLength(1);
  const posted = got[0]?.body ?? "";
  expect(posted).not.toContain(STAND_IN_SECRET);
  return { posted, json: JSON.parse(posted), tookMs, ws };
}

const CHAT = Object.entries(kinds({ transcript: 12 })).filter(([k]) => k !== "webhook");

describe("transcript = 12 on close (against the stand-in)", () => {
  it.each(CHAT)(
    "%s: oldest first, times in KST, senders by name, text, image, emoticon, Korean",
    async (kind, dest) => {
      const { posted } = await deliver(kind, dest, { timezone: "Asia/Seoul" });
      const first = posted.indexOf("안녕하세요! 무엇을 도와드릴까요?");
      const last = posted.indexOf("이용해 주셔서 감사합니다. 좋은 하루 되세요.");
      expect(first).toBeGreaterThan(-1);
      expect(last).toBeGreaterThan(first);
      expect(posted).toContain("Transcript (last 12 messages)");
      expect(posted).toContain("2019-04-29 18:01 KST"); // the first message, 09:01 UTC
      for (const s of [
        "박지훈",
        "김민준",
        "bot",
        "system",
        "😄",
        "택배가 도착하지 않았어요.",
        "상담사 김민준님이 입장했습니다.",
      ]) {
        expect(posted).toContain(s);
      }
      // The image as a link labelled with its type (brackets escaped where the markup needs it).
      expect(posted).toMatch(/\\*\[image\\*\] https:\/\/example\.com\/demo\/parcel\.png/);
    },
  );

  it("slack: the image as a link in its line, never an image block (Slack refuses a message whose image it cannot fetch)", async () => {
    const { json } = await deliver("slack", kinds({ transcript: 12 }).slack as DestinationConfig);
    const blocks = json.blocks as { type: string; image_url?: string; text?: { text: string } }[];
    expect(blocks.filter((b) => b.type === "image")).toEqual([]);
    expect(JSON.stringify(blocks)).toContain("https://example.com/demo/parcel.png");
    // The footer stays last.
    expect(blocks.at(-1)?.type).toBe("context");
    expect(JSON.stringify(blocks.at(-1))).toContain("trigger transcript-slack-");
  });

  it("email: the whole transcript in both parts, links as links, every value escaped", async () => {
    const ws = await workspace();
    const body = closeEvent(ws, `mail-${crypto.randomUUID()}`);
    const dest = { ...EMAIL, transcript: 12 } as DestinationConfig;
    const ctx = await withTranscript(
      dest,
      context(ws, body, dest, { names: await namesFor(ws, body), timezone: "Asia/Seoul" }),
    );
    const got = JSON.parse(render(dest, ctx).body) as { text: string; html: string };
    for (const part of [got.text, got.html]) {
      expect(part).toContain("Transcript (last 12 messages)");
      expect(part).toContain("안녕하세요! 무엇을 도와드릴까요?");
      expect(part).toContain("2019-04-29 18:12 KST");
      expect(part).toContain("😄");
    }
    expect(got.text).toContain("[2019-04-29 18:07 KST] 박지훈: [image] https://example.com/demo/parcel.png");
    expect(got.html).toContain('[image] <a href="https://example.com/demo/parcel.png">');
    expect(got.html).not.toContain("<img");
  });

  it('webhook envelope: "transcript" as Gitple returned it and "names" with the senders', async () => {
    const { json } = await deliver("webhook", kinds({ transcript: 12 }).webhook as DestinationConfig);
    expect(json.transcript).toHaveLength(12);
    expect(json.transcript[0]).toMatchObject({
      senderType: "bot",
      senderId: 0,
      content: "안녕하세요! 무엇을 도와드릴까요?",
    });
    expect(json.transcript[6].content).toEqual({ l: { m: "image/png", u: "https://example.com/demo/parcel.png" } });
    expect(json.names.agents).toEqual({ [I.agents.kim]: "김민준" });
    expect(json.names.users).toEqual({ [I.users.park]: "박지훈" });
    expect(json.event.triggerId).toMatch(/^transcript-webhook-/);
  });

  it("not on other events, and not without the option", async () => {
    const ws = await workspace();
    const body = { ...closeEvent(ws, `open-${crypto.randomUUID()}`), type: "session_state_open" };
    const dest = kinds({ transcript: 12 }).slack as DestinationConfig;
    expect(render(dest, context(ws, body, dest)).body).not.toContain("Transcript");
    const plain = kinds().slack as DestinationConfig;
    expect(
      await withTranscript(
        plain as { transcript?: number } & DestinationConfig,
        context(ws, closeEvent(ws, "x"), plain),
      ),
    ).not.toHaveProperty("transcript");
    expect((await ws.calls()).total).toBe(0);
  });
});

describe("200 messages: every kind within its limits, cut from the oldest", () => {
  const long = { sessionId: I.sessions.long };

  it("slack: 200 short messages fit (≤ 50 blocks, sections ≤ 3000), oldest first", async () => {
    const { json } = await deliver("slack", kinds({ transcript: 200 }).slack as DestinationConfig, long);
    const blocks = json.blocks as { type: string; text?: { text: string } }[];
    expect(blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocks);
    for (const b of blocks) if (b.text) expect(b.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
    const text = JSON.stringify(blocks);
    expect(text).toContain("Transcript (last 200 messages)");
    expect(text.indexOf("메시지 2\\n")).toBeLessThan(text.indexOf("메시지 200"));
    expect((text.match(/메시지 \d+/g) ?? []).length).toBe(200);
  });

  it("slack: 200 long messages are cut from the oldest to the blocks and characters left, saying how many", () => {
    const messages = Array.from({ length: 200 }, (_, n) => ({
      time: new Date(Date.UTC(2019, 4, 1, 0, n)).toISOString(),
      senderType: "user" as const,
      senderId: I.users.choi,
      content: { kind: "text" as const, text: `메시지 ${n + 1} ${"가".repeat(900)}` },
    }));
    const dest = { type: "slack" as const, webhook_url_secret: "U", include_contact: false };
    const payload = formatSlack(viewEvent(closeBody()), dest, {
      speech: { transcript: { state: "ok", messages, omitted: 0, raw: [] } },
    });
    const blocks = payload.blocks as unknown as {
      type: string;
      text?: { text: string };
      elements?: { text: string }[];
    }[];
    expect(blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocks);
    for (const b of blocks) if (b.text) expect(b.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
    const text = JSON.stringify(blocks);
    expect(text).toContain("메시지 200 ");
    expect(text).not.toContain("메시지 1 ");
    const heading = blocks.find((b) => b.type === "context" && b.elements?.[0]?.text.includes("Transcript"));
    const m = /Transcript \(last (\d+) messages\)\* · (\d+) earlier messages left out/.exec(
      heading?.elements?.[0]?.text ?? "",
    );
    expect(m).not.toBeNull();
    expect(Number(m?.[1]) + Number(m?.[2])).toBe(200);
    expect((text.match(/메시지 \d+ /g) ?? []).length).toBe(Number(m?.[1]));
    expect(blocks.at(-1)?.type).toBe("context");
  });

  it("discord: all embeds within 6000 characters, the description within 4096", async () => {
    const { json } = await deliver("discord", kinds({ transcript: 200 }).discord as DestinationConfig, long);
    const total = json.embeds.reduce((n: number, e: Parameters<typeof embedLength>[0]) => n + embedLength(e), 0);
    expect(total).toBeLessThanOrEqual(DISCORD_LIMITS.total);
    expect(json.embeds[1].description.length).toBeLessThanOrEqual(DISCORD_LIMITS.description);
    expect(json.embeds[1].title).toMatch(/^Transcript \(last \d+ messages\) · \d+ earlier messages left out$/);
    expect(json.embeds[1].description).toContain("메시지 200");
  });

  it("teams and google-chat: within their byte limits, the newest kept", async () => {
    const teams = await deliver("teams", kinds({ transcript: 200 }).teams as DestinationConfig, long);
    expect(bytes(teams.posted)).toBeLessThanOrEqual(TEAMS_LIMITS.bytes);
    expect(teams.posted).toContain("메시지 200");
    const chat = await deliver("google-chat", kinds({ transcript: 200 })["google-chat"] as DestinationConfig, long);
    expect(bytes(chat.posted)).toBeLessThanOrEqual(GOOGLE_CHAT_LIMITS.bytes);
    expect(chat.posted).toContain("메시지 200");
  });

  it("email and the webhook envelope: all 200", async () => {
    const ws = await workspace();
    const body = closeEvent(ws, `mail-long-${crypto.randomUUID()}`, I.sessions.long);
    const dest = { ...EMAIL, transcript: 200 } as DestinationConfig;
    const got = JSON.parse(render(dest, await withTranscript(dest, context(ws, body, dest))).body);
    for (const part of [got.text, got.html]) {
      expect((part.match(/메시지 \d+/g) ?? []).length).toBe(200);
    }
    const { json } = await deliver("webhook", kinds({ transcript: 200 }).webhook as DestinationConfig, long);
    expect(json.transcript).toHaveLength(200);
  });

  it("transcript = 5 keeps the last five and says the rest were left out", async () => {
    const { posted } = await deliver("discord", kinds({ transcript: 5 }).discord as DestinationConfig, long);
    expect(posted).toContain("Transcript (last 5 messages) · 195 earlier messages left out");
    expect(posted).toContain("메시지 196");
    expect(posted).not.toContain("메시지 195");
  });
});

describe("transcript unavailable: the notice goes out without it", () => {
  it.each([...CHAT, ["webhook", kinds({ transcript: 12 }).webhook as DestinationConfig] as const])(
    "%s: the Open API hangs past timeout_seconds",
    async (kind, dest) => {
      const { posted, json, tookMs } = await deliver(kind, dest, { hang: true });
      expect(tookMs).toBeLessThan(4000); // timeout_seconds = 1
      if (kind === "webhook") {
        expect(json.transcript).toBeNull();
        expect(json.transcriptUnavailable).toBe(true);
      } else {
        expect(posted).toContain(TRANSCRIPT_UNAVAILABLE);
        expect(posted).toContain("transcript unavailable");
        expect(posted).toContain("Session closed");
      }
    },
  );

  it("a 500, and no [vars.ROUTING.gitple] at all", async () => {
    const dest = kinds({ transcript: 12 }).slack as DestinationConfig;
    expect((await deliver("slack", dest, { status: 500 })).posted).toContain("transcript unavailable");
    expect((await deliver("slack", dest, { gitple: null })).posted).toContain("transcript unavailable");
  });

  it("email: said in both parts", async () => {
    const ws = await workspace();
    await ws.misbehave("*", { status: 503 });
    const body = closeEvent(ws, `mail-down-${crypto.randomUUID()}`);
    const dest = { ...EMAIL, transcript: 12 } as DestinationConfig;
    const got = JSON.parse(render(dest, await withTranscript(dest, context(ws, body, dest))).body);
    expect(got.text).toContain(TRANSCRIPT_UNAVAILABLE);
    expect(got.html).toContain(TRANSCRIPT_UNAVAILABLE);
  });
});

describe("previews render without a network", () => {
  it.each(CHAT)("%s: a placeholder line, no Open API call", async (kind, dest) => {
    const ws = await workspace();
    const body = closeEvent(ws, `preview-${kind}-${crypto.randomUUID()}`);
    const rendered = render(dest, context(ws, body, dest));
    expect(rendered.body).toContain("Transcript: the last 12 messages are fetched from Gitple when this is sent");
    expect((await ws.calls()).total).toBe(0);
  });
});

describe("`transcript` is validated", () => {
  const check = (destination: Record<string, unknown>) =>
    validateRouting({ destinations: { d: destination }, fallback: ["d"] }, () => "set");
  const slack = { type: "slack", webhook_url_secret: "URL" };

  it("0 .. 200, whole numbers; an error with its path otherwise", () => {
    for (const n of [0, 1, 12, 200]) expect(check({ ...slack, transcript: n }).ok).toBe(true);
    for (const n of [-1, 201, 1.5, "12"]) {
      const r = check({ ...slack, transcript: n });
      expect(r.ok).toBe(false);
      if (!r.ok)
        expect(r.error[0]).toMatch(
          /^destinations\.d\.transcript: must be (a whole number from 0 \(off\) to 200|a number)$/,
        );
    }
    expect(check({ type: "discord", webhook_url_secret: "URL", transcript: 12 }).ok).toBe(true);
    expect(check({ type: "email", from: "a@example.com", to: ["b@example.com"], transcript: 12 }).ok).toBe(true);
  });

  it('a webhook takes it only with body = "envelope"', () => {
    expect(check({ type: "webhook", url_secret: "URL", body: "envelope", transcript: 12 }).ok).toBe(true);
    expect(check({ type: "webhook", url_secret: "URL", transcript: 12 })).toEqual({
      ok: false,
      error: [
        'destinations.d.transcript: needs body = "envelope" (body = "event" posts Gitple\'s payload byte for byte, so it cannot carry a transcript)',
      ],
    });
  });
});
