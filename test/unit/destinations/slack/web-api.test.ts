// The Slack Web API client's own table (issue 11), against the receiver's stand-in:
// HTTP 200 with ok:false is read, each error lands where the issue says, the token
// travels only in the Authorization header and never in a reason.
import { describe, expect, it } from "vitest";
import { callSlack, type SlackClient } from "../../../../src/destinations/slack/web-api.ts";
import { TEST_SLACK_BOT_TOKEN } from "../../../support/test-env.ts";
import { receiverBase, script, uniqueId } from "../../../support/worker.ts";

const client = (token = TEST_SLACK_BOT_TOKEN): SlackClient => ({
  apiUrl: `${receiverBase()}/slack/api`,
  token,
  timeoutMs: 2000,
});
const answer = (error: string, status = 200, headers: Record<string, string> = {}) => ({
  status,
  headers: { "content-type": "application/json", ...headers },
  body: JSON.stringify({ ok: false, error }),
});

describe("callSlack", () => {
  it("chat.postMessage answers channel and ts; chat.update edits that ts", async () => {
    const text = uniqueId("text");
    const posted = await callSlack(client(), "chat.postMessage", { channel: "C0TEST", text });
    expect(posted).toMatchObject({ ok: true, channel: "C0TEST", ts: expect.stringMatching(/^\d+\.\d{6}$/) });
    const ts = posted.ok ? posted.ts : "";
    expect(await callSlack(client(), "chat.update", { channel: "C0TEST", ts, text })).toEqual({
      ok: true,
      channel: "C0TEST",
      ts,
    });
    expect(await callSlack(client(), "chat.update", { channel: "C0TEST", ts: "1.000000", text })).toEqual({
      ok: false,
      lost: true,
      error: "message_not_found",
    });
  });

  it.each([
    "invalid_auth",
    "not_authed",
    "token_revoked",
    "account_inactive",
    "missing_scope",
    "channel_not_found",
    "not_in_channel",
    "is_archived",
    "invalid_blocks",
    "msg_too_long",
  ])("%s: not retryable, the error quoted", async (error) => {
    const text = uniqueId(error);
    await script(text, [answer(error)]);
    expect(await callSlack(client(), "chat.postMessage", { channel: "C0TEST", text })).toEqual({
      ok: false,
      lost: false,
      outcome: { ok: false, retryable: false, status: 200, reason: `Slack chat.postMessage: ${error}` },
    });
  });

  it.each(["message_not_found", "cant_update_message", "edit_window_closed"])(
    "%s on chat.update: lost (post a new message)",
    async (error) => {
      const text = uniqueId(error);
      await script(text, [answer(error)]);
      expect(await callSlack(client(), "chat.update", { channel: "C0TEST", ts: "1.2", text })).toEqual({
        ok: false,
        lost: true,
        error,
      });
    },
  );

  it.each([
    ["fatal", answer("fatal"), undefined],
    ["internal_error", answer("internal_error"), undefined],
    ["service_unavailable", answer("service_unavailable"), undefined],
    ["HTTP 500", { status: 500, body: "oops" }, undefined],
    ["ratelimited with Retry-After", answer("ratelimited", 200, { "retry-after": "30" }), 30],
    ["HTTP 429 with Retry-After", answer("ratelimited", 429, { "retry-after": "12" }), 12],
  ])("%s: retryable", async (_what, response, retryAfterSeconds) => {
    const text = uniqueId("retry");
    await script(text, [response]);
    const got = await callSlack(client(), "chat.postMessage", { channel: "C0TEST", text });
    expect(got).toMatchObject({ ok: false, lost: false, outcome: { ok: false, retryable: true } });
    if (!got.ok && !got.lost) expect(got.outcome.retryAfterSeconds).toBe(retryAfterSeconds);
  });

  it("a timeout is retryable", async () => {
    const text = uniqueId("hang");
    await script(text, [{ hang: true }]);
    const got = await callSlack({ ...client(), timeoutMs: 200 }, "chat.postMessage", { channel: "C0TEST", text });
    expect(got).toMatchObject({
      ok: false,
      outcome: { retryable: true, reason: "Slack chat.postMessage: timed out after 0.2s" },
    });
  });

  it("sends the token only as a bearer header; an echoed token never reaches the reason", async () => {
    const text = uniqueId("echo");
    await script(text, [{ status: 400, body: `bad request, token ${TEST_SLACK_BOT_TOKEN}` }]);
    const got = await callSlack(client(), "chat.postMessage", { channel: "C0TEST", text });
    expect(JSON.stringify(got)).not.toContain(TEST_SLACK_BOT_TOKEN);
    expect(got).toMatchObject({
      ok: false,
      outcome: { retryable: false, reason: "Slack chat.postMessage: HTTP 400: bad request, token [redacted]" },
    });
    const wrong = await callSlack(client("xoxb-another-token-entirely"), "chat.postMessage", {
      channel: "C0TEST",
      text: uniqueId("t"),
    });
    expect(wrong).toMatchObject({
      ok: false,
      outcome: { retryable: false, reason: "Slack chat.postMessage: invalid_auth" },
    });
  });
});
