// Any transcript, any names: every chat kind stays within its service's limits, and no payload
// markup (a Slack mention, a Discord @everyone, a Google Chat tag) survives unescaped (property).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DISCORD_LIMITS, embedLength, formatDiscord } from "../../../../src/destinations/discord/format.ts";
import { formatGoogleChat, GOOGLE_CHAT_LIMITS } from "../../../../src/destinations/google-chat/format.ts";
import { formatSlack, SLACK_LIMITS } from "../../../../src/destinations/slack/format.ts";
import { formatTeams, TEAMS_LIMITS } from "../../../../src/destinations/teams/format.ts";
import { viewEvent } from "../../../../src/event/view.ts";
import type { Speech } from "../../../../src/format/speech.ts";
import type { TranscriptMessage } from "../../../../src/gitple/transcript.ts";

const bytes = (v: unknown) => new TextEncoder().encode(JSON.stringify(v)).byteLength;
const HOSTILE = ["<!channel>", "@everyone", "</script>", "*x*", "<b>", "&amp;", "\n> quote", "가", "😄"];
const text = fc
  .array(fc.oneof(fc.constantFrom(...HOSTILE), fc.string({ maxLength: 40 })), { maxLength: 60 })
  .map((p) => p.join(""));

const message: fc.Arbitrary<TranscriptMessage> = fc.record({
  time: fc.integer({ min: 0, max: 2_000_000_000_000 }).map((t) => new Date(t).toISOString()),
  senderType: fc.constantFrom("agent" as const, "user" as const, "bot" as const, "sys" as const),
  senderId: fc.constantFrom("a1", "u1", "0"),
  content: fc.oneof(
    text.map((t) => ({ kind: "text" as const, text: t })),
    fc
      .constantFrom("image/png", "application/pdf")
      .map((mime) => ({ kind: "link" as const, mime, url: "https://example.com/a.png?x=<b>&y=1" })),
    text.map((alt) => ({ kind: "emoticon" as const, alt })),
  ),
});

const speechOf = (messages: TranscriptMessage[], sender: string): Speech => ({
  timeZone: "Asia/Seoul",
  transcript: {
    state: "ok",
    messages,
    omitted: 0,
    raw: [],
    senders: {
      names: {
        sessionTags: {},
        categories: {},
        userGroups: {},
        userTags: {},
        agents: { a1: { name: sender } },
        users: { u1: { name: sender, meta: {}, groups: [], tags: [] } },
      },
      categoryPaths: {},
      unknown: [],
      pending: [],
      unavailable: false,
      unauthorized: null,
      calls: 0,
    },
  },
});

const event = viewEvent({
  type: "session_state_close",
  triggerId: "t1",
  session: { id: "s1", note: "x".repeat(5000) },
});
const chat = { webhook_url_secret: "U", include_contact: false } as const;
const run = (check: (s: Speech) => void) =>
  fc.assert(
    fc.property(fc.array(message, { maxLength: 200 }), text, (messages, sender) => {
      fc.pre(JSON.stringify(messages).isWellFormed() && sender.isWellFormed());
      check(speechOf(messages, sender));
    }),
    { numRuns: 40 },
  );

describe("any transcript within each kind's limits (property)", () => {
  it("slack: ≤ 50 blocks, texts within theirs, no payload mention", () => {
    run((speech) => {
      const p = formatSlack(event, { type: "slack", ...chat }, { speech });
      expect(p.blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocks);
      const all = JSON.stringify(p.blocks);
      expect(all).not.toContain("<!channel>");
      expect(all).not.toContain("<b>");
      for (const b of p.blocks)
        if (b.type === "section" && "text" in b)
          expect(b.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
    });
  });

  it("discord: ≤ 6000 characters across embeds, no @everyone", () => {
    run((speech) => {
      const p = formatDiscord(event, { type: "discord", ...chat }, undefined, speech);
      expect(p.embeds.reduce((n, e) => n + embedLength(e), 0)).toBeLessThanOrEqual(DISCORD_LIMITS.total);
      for (const e of p.embeds) expect((e.description ?? "").length).toBeLessThanOrEqual(DISCORD_LIMITS.description);
      expect(JSON.stringify(p.embeds)).not.toMatch(/@everyone/);
    });
  });

  it("teams and google chat: within their bytes; no raw tag in Google Chat", () => {
    run((speech) => {
      expect(bytes(formatTeams(event, { type: "teams", ...chat }, undefined, speech))).toBeLessThanOrEqual(
        TEAMS_LIMITS.bytes,
      );
      const g = formatGoogleChat(event, { type: "google-chat", ...chat }, undefined, speech);
      expect(bytes(g)).toBeLessThanOrEqual(GOOGLE_CHAT_LIMITS.bytes);
      expect(JSON.stringify(g)).not.toContain("</script>");
    });
  });
});
