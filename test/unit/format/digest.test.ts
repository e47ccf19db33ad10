// A digest's wording (src/format/digest.ts) and how each kind lays it out: the same
// title and fields, within each kind's limits; English by default, Korean on request.
import { describe, expect, it } from "vitest";
import { formatDiscord } from "../../../src/destinations/discord/format.ts";
import { formatEmail } from "../../../src/destinations/email/format.ts";
import { formatGoogleChat } from "../../../src/destinations/google-chat/format.ts";
import { formatSlack } from "../../../src/destinations/slack/format.ts";
import { formatTeams } from "../../../src/destinations/teams/format.ts";
import { viewEvent } from "../../../src/event/view.ts";
import { digestFields, digestTitle } from "../../../src/format/digest.ts";

const figures = {
  digest: "daily",
  period: { from: "2026-12-01T00:00:00.000Z", to: "2026-12-02T00:00:00.000Z" },
  sessions: { opened: 42, closed: 40 },
  closedByReason: { agentClose: 30, userCancel: 10 },
  tags: [
    { id: "5cc7a1000000000000000001", name: "VIP", count: 12 },
    { id: "5cc7a1000000000000000002", count: 3 },
  ],
  categories: [{ id: "5cc7c2000000000000000001", name: "결제 › 환불", count: 7 }],
  firstAssignment: {
    medianSeconds: 150,
    p90Seconds: 900,
    longest: [
      {
        seconds: 5400,
        session: "5cc6c0048e1c2a0013f0a1c3",
        appCode: "shop",
        link: "https://console.gitple.io/s/5cc6c0048e1c2a0013f0a1c3",
      },
      { seconds: 3000, session: "5cc6c0048e1c2a0013f0a1c4" },
    ],
  },
  handling: { medianSeconds: 600, p90Seconds: 3600 },
  timersFired: 4,
  deadLetters: 1,
};
const event = (digest: unknown) =>
  viewEvent({ type: "digest", triggerId: "digest:daily:2026-12-02T00:00:00.000Z", digest });
const view = event(figures);
const utc = (iso: string) => `${iso.slice(0, 16).replace("T", " ")} UTC`;

describe("digest wording", () => {
  it("says every figure, in English by default", () => {
    const d = view.digest;
    if (!d) throw new Error("no digest view");
    expect(digestTitle(d)).toBe("Digest daily: 42 sessions opened, 40 closed");
    expect(digestFields(d, utc)).toEqual([
      { label: "Period", value: "2026-12-01 00:00 UTC – 2026-12-02 00:00 UTC" },
      { label: "Opened", value: "42" },
      { label: "Closed", value: "40" },
      { label: "Closed by reason", value: "agentClose (30), userCancel (10)" },
      { label: "Busiest tags", value: "VIP (12), 5cc7a1000000000000000002 (3)" },
      { label: "Busiest categories", value: "결제 › 환불 (7)" },
      { label: "First assignment", value: "median 2 min, p90 15 min" },
      { label: "Handling time", value: "median 10 min, p90 1 h" },
      { label: "Timers fired", value: "4" },
      { label: "Dead letters", value: "1" },
      {
        label: "Longest waits",
        value:
          "1 h 30 min · session 5cc6c0048e1c2a0013f0a1c3 · https://console.gitple.io/s/5cc6c0048e1c2a0013f0a1c3\n50 min · session 5cc6c0048e1c2a0013f0a1c4",
        long: true,
      },
    ]);
  });

  it("in Korean when asked", () => {
    const d = view.digest;
    if (!d) throw new Error("no digest view");
    expect(digestTitle(d, "ko")).toBe("요약 daily: 상담 42건 시작, 40건 종료");
    expect(digestFields(d, utc, "ko").find((f) => f.label === "첫 배정까지")?.value).toBe("중앙값 2분, p90 15분");
  });

  it("says there were no sessions, and leaves out figures without data", () => {
    const empty = event({
      ...figures,
      sessions: { opened: 0, closed: 0 },
      closedByReason: {},
      tags: [],
      categories: [],
      firstAssignment: { medianSeconds: null, p90Seconds: null, longest: [] },
      handling: { medianSeconds: null, p90Seconds: null },
    }).digest;
    if (!empty) throw new Error("no digest view");
    expect(digestTitle(empty)).toBe("Digest daily: no sessions");
    expect(digestFields(empty, utc).map((f) => f.label)).toEqual([
      "Period",
      "Opened",
      "Closed",
      "Timers fired",
      "Dead letters",
    ]);
  });

  it("reads a hostile digest body without throwing", () => {
    const odd = event({
      digest: 3,
      sessions: "x",
      tags: [1, { id: {}, count: "9" }],
      firstAssignment: { longest: [null, { seconds: Number.NaN }] },
    }).digest;
    expect(odd).toMatchObject({ name: "3", opened: 0, tags: [["", 0]], longest: [{ seconds: 0, session: "" }] });
  });
});

describe("each kind lays a digest out", () => {
  it("Slack: the title as header, the figures as fields", () => {
    const p = formatSlack(view, { type: "slack", webhook_url_secret: "U", include_contact: false });
    expect(p.blocks[0]).toEqual({
      type: "header",
      text: { type: "plain_text", text: "Digest daily: 42 sessions opened, 40 closed" },
    });
    expect(JSON.stringify(p.blocks)).toContain("*First assignment*\\nmedian 2 min, p90 15 min");
    // The longest waits with a link are buttons (verbatim mrkdwn would show the URL as text).
    expect(p.blocks.find((b) => b.type === "actions")).toEqual({
      type: "actions",
      elements: [
        {
          type: "button",
          text: { type: "plain_text", text: "1 h 30 min · 5cc6c0048e1c2a0013f0a1c3" },
          url: "https://console.gitple.io/s/5cc6c0048e1c2a0013f0a1c3",
        },
      ],
    });
  });

  it("email: a text part and an HTML table", () => {
    const m = formatEmail(view, {
      type: "email",
      from: "r@example.com",
      to: ["lead@example.com"],
      include_contact: false,
    } as never);
    expect(m.subject).toBe("Digest daily: 42 sessions opened, 40 closed");
    expect(m.text).toContain("Handling time: median 10 min, p90 1 h");
    expect(m.html).toContain("<table");
    expect(m.html).toContain("<th");
    expect(m.html).toContain("Busiest categories</th><td>결제 › 환불 (7)</td>");
  });

  it("Discord, Teams and Google Chat: the same figures", () => {
    const chat = { webhook_url_secret: "U", include_contact: false };
    for (const body of [
      JSON.stringify(formatDiscord(view, { type: "discord", ...chat } as never)),
      JSON.stringify(formatTeams(view, { type: "teams", ...chat } as never)),
      JSON.stringify(formatGoogleChat(view, { type: "google-chat", ...chat } as never)),
    ]) {
      expect(body).toContain("Digest daily: 42 sessions opened, 40 closed");
      expect(body).toContain("median 2 min, p90 15 min");
      expect(body).toContain("5cc6c0048e1c2a0013f0a1c4");
    }
  });
});
