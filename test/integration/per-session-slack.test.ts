// Issue 11, Slack app mode: one session, one message. Driven through the DELIVERIES
// consumer (concurrent batches, as production's consumers) against the receiver's
// Slack Web API stand-in, which checks the bearer token and keeps the messages.
import { evictDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { sessionFor } from "../../src/sessions/stub.ts";
import { consume, deadLetterOf, deliveryFor } from "../support/queue.ts";
import { calls, deliverAll, followingEnv, resent, sessionEvents, shown } from "../support/sessions.ts";
import { TEST_SLACK_BOT_TOKEN } from "../support/test-env.ts";
import { script } from "../support/worker.ts";

const POST = "/slack/api/chat.postMessage";
const UPDATE = "/slack/api/chat.update";

/** The Web API calls a session's deliveries made, as [method, ts or thread_ts]. */
async function apiCalls(marker: string) {
  return (await calls(marker)).map((c) => {
    const body = JSON.parse(c.body) as {
      ts?: string;
      thread_ts?: string;
      blocks: { type: string; text?: { text: string } }[];
    };
    const header = body.blocks.find((b) => b.type === "header")?.text?.text;
    return {
      path: c.path,
      ts: body.ts,
      thread_ts: body.thread_ts,
      header,
      auth: (c as unknown as { headers: Record<string, string> }).headers.authorization,
    };
  });
}

/** The ts the stand-in gave the first message of a session (from the object's row). */
async function tsOf(sessionId: string, destination = "slack-app") {
  const row = await shown(sessionId, destination);
  return row?.ref?.kind === "slack" ? row.ref.ts : undefined;
}

describe("per_session = update", () => {
  it("in order: one chat.postMessage, then two chat.update of that message, showing the latest state", async () => {
    const s = sessionEvents();
    for (const e of [s.open, s.inprogress, s.close]) await deliverAll("slack-app", [e]);
    const made = await apiCalls(s.marker);
    const ts = await tsOf(s.id);
    expect(made.map((c) => [c.path, c.ts])).toEqual([
      [POST, undefined],
      [UPDATE, ts],
      [UPDATE, ts],
    ]);
    expect(made.map((c) => c.header)).toEqual(["Session opened", "Session assigned", "Session closed (userCancel)"]);
    expect(made.every((c) => c.auth === `Bearer ${TEST_SLACK_BOT_TOKEN}`)).toBe(true);
    expect(await shown(s.id, "slack-app")).toMatchObject({ state: 3, trigger: s.close.triggerId });
  });

  it("reversed: the close posts a closed message, and the open and inprogress after it change nothing", async () => {
    const s = sessionEvents();
    for (const e of [s.close, s.inprogress, s.open]) await deliverAll("slack-app", [e]);
    const made = await apiCalls(s.marker);
    expect(made.map((c) => [c.path, c.header])).toEqual([[POST, "Session closed (userCancel)"]]);
    expect(await shown(s.id, "slack-app")).toMatchObject({ state: 3, trigger: s.close.triggerId });
  });

  it("an inprogress after the close does not reopen it", async () => {
    const s = sessionEvents();
    for (const e of [s.open, s.close, s.inprogress]) await deliverAll("slack-app", [e]);
    expect((await apiCalls(s.marker)).map((c) => [c.path, c.header])).toEqual([
      [POST, "Session opened"],
      [UPDATE, "Session closed (userCancel)"],
    ]);
  });

  it("a duplicate (the same message again) and a resent event (a new delivery of it) change nothing visible", async () => {
    const s = sessionEvents();
    await deliverAll("slack-app", [s.open]);
    await deliverAll("slack-app", [s.inprogress]);
    const copy = await consume([await deliveryFor("slack-app", s.open)], followingEnv());
    expect(copy.acked).toHaveLength(1); // the claim: already delivered
    for (const e of [s.open, s.inprogress]) {
      const again = await consume([await resent("slack-app", e)], followingEnv());
      expect(again).toMatchObject({ acked: [expect.any(String)], retried: [] });
    }
    expect((await apiCalls(s.marker)).map((c) => c.path)).toEqual([POST, UPDATE]);
    expect(await shown(s.id, "slack-app")).toMatchObject({ state: 2, trigger: s.inprogress.triggerId });
  });

  it("concurrent: three events in one batch and a second batch at once make ONE message, ending closed", async () => {
    const s = sessionEvents();
    const [a, b] = await Promise.all([
      deliverAll("slack-app", [s.open, s.inprogress, s.close]),
      deliverAll("slack-app", [s.close, s.open], followingEnv(), { resent: true }),
    ]);
    const waited = [...a.retries, ...b.retries];
    expect(waited.length).toBeGreaterThan(0); // the second and later callers waited for the first's ref
    expect(waited.every((r) => (r.delaySeconds ?? 0) <= 2)).toBe(true);
    const made = await apiCalls(s.marker);
    expect(made.filter((c) => c.path === POST)).toHaveLength(1);
    const ts = await tsOf(s.id);
    expect(made.filter((c) => c.path === UPDATE).every((c) => c.ts === ts)).toBe(true);
    expect(made.at(-1)?.header).toBe("Session closed (userCancel)");
    expect(await shown(s.id, "slack-app")).toMatchObject({ state: 3 });
  });

  it("two sessions interleaved: each has its own message, updated in place", async () => {
    const one = sessionEvents();
    const two = sessionEvents();
    for (const e of [one.open, two.open, one.inprogress, two.close, one.close]) await deliverAll("slack-app", [e]);
    const ts1 = await tsOf(one.id);
    const ts2 = await tsOf(two.id);
    expect(ts1).not.toEqual(ts2);
    expect((await apiCalls(one.marker)).map((c) => [c.path, c.ts])).toEqual([
      [POST, undefined],
      [UPDATE, ts1],
      [UPDATE, ts1],
    ]);
    expect((await apiCalls(two.marker)).map((c) => [c.path, c.ts])).toEqual([
      [POST, undefined],
      [UPDATE, ts2],
    ]);
  });

  it("message_not_found on update: a new message is posted and remembered; later updates edit it", async () => {
    const s = sessionEvents();
    await deliverAll("slack-app", [s.open]);
    const first = await tsOf(s.id);
    await script(s.inprogress.triggerId, [
      {
        status: 200,
        headers: { "content-type": "application/json" },
        body: '{"ok":false,"error":"message_not_found"}',
      },
    ]);
    await deliverAll("slack-app", [s.inprogress]);
    const second = await tsOf(s.id);
    expect(second).toBeDefined();
    expect(second).not.toEqual(first);
    await deliverAll("slack-app", [s.close]);
    expect((await apiCalls(s.marker)).map((c) => [c.path, c.ts, c.header])).toEqual([
      [POST, undefined, "Session opened"],
      [POST, undefined, "Session assigned"], // the update was refused (scripted), so not received
      [UPDATE, second, "Session closed (userCancel)"],
    ]);
  });

  it.each([
    ["HTTP 429", 429],
    ["200 with ratelimited", 200],
  ])("%s with Retry-After: retried after that delay, the session not held", async (_what, status) => {
    const s = sessionEvents();
    await script(s.open.triggerId, [
      {
        status,
        headers: { "content-type": "application/json", "retry-after": "7" },
        body: '{"ok":false,"error":"ratelimited"}',
      },
    ]);
    const result = await consume([await deliveryFor("slack-app", s.open)], followingEnv());
    expect(result).toMatchObject({ acked: [], retried: [{ delaySeconds: 7 }] });
    expect(await shown(s.id, "slack-app")).toMatchObject({ ref: null, state: 0 });
    // The session is not held: another event of it posts at once.
    await deliverAll("slack-app", [s.inprogress]);
    expect((await apiCalls(s.marker)).map((c) => c.path)).toEqual([POST]);
  });

  it("internal_error is retried with backoff, then the message is posted once", async () => {
    const s = sessionEvents();
    await script(s.open.triggerId, [
      { status: 200, headers: { "content-type": "application/json" }, body: '{"ok":false,"error":"internal_error"}' },
      { status: 503, body: "service unavailable" },
    ]);
    const { retries } = await deliverAll("slack-app", [s.open]);
    expect(retries).toHaveLength(2);
    expect((await apiCalls(s.marker)).map((c) => c.path)).toEqual([POST]);
  });

  it("invalid_auth (a token Slack refuses): a dead letter at once, quoting the error, never the token", async () => {
    const s = sessionEvents();
    const revoked = "xoxb-revoked-token-of-the-test";
    const result = await consume([await deliveryFor("slack-app", s.open)], followingEnv({ SLACK_BOT_TOKEN: revoked }));
    expect(result.acked).toHaveLength(1);
    const dead = await deadLetterOf(s.open.triggerId, "slack-app");
    expect(dead.reason).toBe("Slack chat.postMessage: invalid_auth");
    expect(JSON.stringify(dead)).not.toContain(revoked);
    expect(JSON.stringify(dead)).not.toContain(TEST_SLACK_BOT_TOKEN);
  });

  it("the state is durable: the session's object evicted between events still updates the same message", async () => {
    const s = sessionEvents();
    await deliverAll("slack-app", [s.open]);
    const ts = await tsOf(s.id);
    await evictDurableObject(sessionFor(env, "TEST_APP", s.id));
    await deliverAll("slack-app", [s.close]);
    expect((await apiCalls(s.marker)).map((c) => [c.path, c.ts])).toEqual([
      [POST, undefined],
      [UPDATE, ts],
    ]);
  });

  it("send_external_message has no session: it posts a new message each time", async () => {
    const s = sessionEvents();
    const message = {
      ...s.open,
      type: "send_external_message",
      session: undefined,
      message: { type: "text", content: s.marker },
    };
    await deliverAll("slack-app", [message as never]);
    await deliverAll("slack-app", [{ ...message, triggerId: `${message.triggerId}-2` } as never]);
    expect((await apiCalls(s.marker)).map((c) => c.path)).toEqual([POST, POST]);
  });

  it("per_session = off posts a new message per event, to the channel, as the app", async () => {
    const s = sessionEvents();
    for (const e of [s.open, s.close]) await deliverAll("slack-app-off", [e]);
    const made = await calls(s.marker);
    expect(made.map((c) => c.path)).toEqual([POST, POST]);
    expect(JSON.parse(made[0]?.body ?? "{}")).toMatchObject({ channel: "C0TEST" });
  });
});

describe("per_session = thread", () => {
  it("the first event posts the parent; later ones update it and reply in its thread", async () => {
    const s = sessionEvents();
    for (const e of [s.open, s.inprogress, s.close]) await deliverAll("slack-thread", [e]);
    const parent = await tsOf(s.id, "slack-thread");
    expect((await apiCalls(s.marker)).map((c) => [c.path, c.ts ?? c.thread_ts ?? null, c.header])).toEqual([
      [POST, null, "Session opened"],
      [UPDATE, parent, "Session assigned"],
      [POST, parent, "Session assigned"],
      [UPDATE, parent, "Session closed (userCancel)"],
      [POST, parent, "Session closed (userCancel)"],
    ]);
    const replies = (await apiCalls(s.marker)).filter((c) => c.thread_ts !== undefined);
    expect(replies).toHaveLength(2);
  });

  it("a reply that fails under the same parent is retried, and the retry replies: the thread gets it once", async () => {
    const s = sessionEvents();
    await deliverAll("slack-thread", [s.open]);
    const parent = await tsOf(s.id, "slack-thread");
    // The update of the parent succeeds; its reply in the thread (the one body naming thread_ts) fails once.
    await script(`"thread_ts":"${parent}"`, [
      { status: 200, headers: { "content-type": "application/json" }, body: '{"ok":false,"error":"internal_error"}' },
    ]);
    const { retries } = await deliverAll("slack-thread", [s.inprogress]);
    expect(retries).toHaveLength(1);
    expect((await apiCalls(s.marker)).map((c) => [c.path, c.ts ?? c.thread_ts ?? null, c.header])).toEqual([
      [POST, null, "Session opened"],
      [UPDATE, parent, "Session assigned"],
      [UPDATE, parent, "Session assigned"], // the retry edits the parent again: no visible change
      [POST, parent, "Session assigned"],
    ]);
  });
});
