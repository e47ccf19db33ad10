// Issue 11 for the chat webhooks that can follow a session: Discord edits its message
// (POST ?wait=true, then PATCH …/messages/{id}), Google Chat threads by a key made of
// the session id (messageReplyOption=REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD). Against the
// receiver's stand-ins, through the DELIVERIES consumer.
import { evictDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { sessionFor } from "../../src/sessions/stub.ts";
import { calls, deliverAll, sessionEvents, shown } from "../support/sessions.ts";
import { HOOKS } from "../support/test-env.ts";
import { script } from "../support/worker.ts";

describe("Discord, per_session = update", () => {
  it("posts once with ?wait=true, then edits that message for each newer event", async () => {
    const s = sessionEvents();
    for (const e of [s.open, s.inprogress, s.close]) await deliverAll("discord-edit", [e]);
    const row = await shown(s.id, "discord-edit");
    const id = row?.ref?.kind === "discord" ? row.ref.id : "none";
    expect((await calls(s.marker)).map((c) => [c.method, c.path, c.query])).toEqual([
      ["POST", HOOKS.discord, "?wait=true"],
      ["PATCH", `${HOOKS.discord}/messages/${id}`, ""],
      ["PATCH", `${HOOKS.discord}/messages/${id}`, ""],
    ]);
    expect(row).toMatchObject({ state: 3, trigger: s.close.triggerId });
  });

  it("reversed, duplicated and across an evicted object: one message, never moved backwards", async () => {
    const s = sessionEvents();
    await deliverAll("discord-edit", [s.close]);
    await evictDurableObject(sessionFor(env, "TEST_APP", s.id));
    await deliverAll("discord-edit", [s.open, s.inprogress, s.open]);
    expect((await calls(s.marker)).map((c) => c.method)).toEqual(["POST"]);
  });

  it("an edit of a message that is gone (404 Unknown Message) posts a new one and remembers it", async () => {
    const s = sessionEvents();
    await deliverAll("discord-edit", [s.open]);
    await script(s.inprogress.triggerId, [{ status: 404, body: '{"message":"Unknown Message","code":10008}' }]);
    await deliverAll("discord-edit", [s.inprogress]);
    await deliverAll("discord-edit", [s.close]);
    const row = await shown(s.id, "discord-edit");
    const id = row?.ref?.kind === "discord" ? row.ref.id : "none";
    expect((await calls(s.marker)).map((c) => [c.method, c.path])).toEqual([
      ["POST", HOOKS.discord],
      ["POST", HOOKS.discord],
      ["PATCH", `${HOOKS.discord}/messages/${id}`],
    ]);
  });
});

describe("Google Chat, per_session = thread", () => {
  it("every newer event of the session in one thread, keyed by the session id", async () => {
    const s = sessionEvents();
    for (const e of [s.open, s.inprogress, s.close]) await deliverAll("gchat-thread", [e]);
    const made = await calls(s.marker);
    expect(made.map((c) => [c.path, c.query])).toEqual(
      Array(3).fill([HOOKS.gchat, "?messageReplyOption=REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD"]),
    );
    const keys = made.map((c) => (JSON.parse(c.body) as { thread?: { threadKey?: string } }).thread?.threadKey);
    expect(new Set(keys).size).toBe(1);
    expect(keys[0]).toContain(s.id);
    expect((await shown(s.id, "gchat-thread"))?.ref).toMatchObject({
      kind: "google-chat",
      thread: expect.stringMatching(/^spaces\/STAND-IN\/threads\//),
    });
  });

  it("concurrent first events start one thread; late and repeated events post nothing", async () => {
    const s = sessionEvents();
    await deliverAll("gchat-thread", [s.open, s.inprogress]);
    await deliverAll("gchat-thread", [s.open, s.inprogress]);
    const made = await calls(s.marker);
    // The open and the inprogress, in the order the gate let them through; the later copies are claimed.
    expect(made.length).toBeGreaterThanOrEqual(1);
    expect(made.length).toBeLessThanOrEqual(2);
    const first = JSON.parse(made[0]?.body ?? "{}") as { thread?: { threadKey?: string } };
    expect(first.thread?.threadKey).toContain(s.id);
  });
});
