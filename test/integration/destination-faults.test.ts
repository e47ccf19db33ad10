// Faults at the destination: a receiver that never answers, resets the
// connection, answers 500 for a while or 429. Each must end in exactly one
// delivery, or a dead letter with its reason once the attempts run out.
//
// Through the real local queue the suite's policy applies (3 attempts, no
// backoff, 2 s timeout). Where a backoff matters, the consumer is driven
// directly with a small one (test/support/queue.ts), as production's queue would.
import { describe, expect, it } from "vitest";
import { attemptsAt, deadLetterOf, deliveryFor, deliveryStates, drive, envWith } from "../support/queue.ts";
import { HOOKS } from "../support/test-env.ts";
import { closeEvent, post, received, receivedAtLeast, script } from "../support/worker.ts";

const answers = async (triggerId: string) => (await attemptsAt(triggerId)).map((a) => a.answer);

describe.concurrent("faults at the destination, through the real queue", () => {
  it.each([
    ["never answers (the fetch times out)", { hang: true }, "hang"],
    ["resets the connection", { reset: true }, "reset"],
    ["answers 429 without Retry-After", { status: 429, body: "rate_limited" }, 429],
  ])("retries a destination that %s once, then delivers exactly once", async (_what, fault, seen) => {
    const event = closeEvent();
    await script(event.triggerId, [fault]);
    expect((await post(event)).status).toBe(202);
    const got = await receivedAtLeast(event.triggerId, 1, 15_000);
    expect(got).toHaveLength(1);
    expect(got[0]?.path).toBe(HOOKS["main-slack"]);
    expect(await answers(event.triggerId)).toEqual([seen, 200]);
    expect(await deliveryStates(event.triggerId)).toMatchObject([
      { destination: "main-slack", state: "delivered", attempts: 2, lastStatus: 200 },
    ]);
  });

  it.each([
    ["never answers", { hang: true }, "timed out after 2s", null],
    ["resets every connection", { reset: true }, "network error", null],
    ["answers 429 every time", { status: 429, body: "rate_limited" }, "HTTP 429: rate_limited", 429],
  ])("dead-letters a destination that %s after 3 attempts, with the reason", async (_what, fault, last, status) => {
    const event = closeEvent();
    await script(event.triggerId, [fault, fault, fault, { status: 200 }]);
    await post(event);
    const dead = await deadLetterOf(event.triggerId, "main-slack");
    expect(dead).toMatchObject({
      reason: `gave up after 3 attempts; last: ${last}`,
      attempts: 3,
      lastStatus: status,
      state: "dead",
    });
    expect(JSON.parse(dead.event ?? "{}")).toEqual(event);
    expect(await received(event.triggerId)).toEqual([]);
    expect(await answers(event.triggerId)).toHaveLength(3);
    expect(await deliveryStates(event.triggerId)).toMatchObject([{ state: "dead", attempts: 3 }]);
  });
});

describe.concurrent("faults at the destination, with a backoff (the consumer driven directly)", () => {
  const policy = { max_attempts: 5, backoff_seconds: 1, max_backoff_seconds: 2, timeout_seconds: 2 };

  it("rides out a destination that answers 500 for a while, backing off, then delivers exactly once", async () => {
    const message = await deliveryFor();
    await script(message.triggerId, [{ status: 500, body: "upstream down", forMs: 2500 }]);
    const rounds = await drive(message, envWith(policy));
    expect(rounds.at(-1)).toMatchObject({ outcome: "acked" });
    // Every retry waited the backoff: 1 s, then 2 s (doubled, capped at max_backoff_seconds).
    const delays = rounds.filter((r) => r.outcome === "retried").map((r) => r.delaySeconds);
    expect(delays.length).toBeGreaterThanOrEqual(1);
    expect(delays).toEqual([1, 2, 2, 2].slice(0, delays.length));
    const seen = await answers(message.triggerId);
    expect(seen).toEqual([...delays.map(() => 500), 200]);
    expect(await received(message.triggerId)).toHaveLength(1);
    expect(await deliveryStates(message.triggerId)).toMatchObject([
      { state: "delivered", attempts: rounds.length, lastStatus: 200 },
    ]);
  });

  it("dead-letters when the 500s outlast max_attempts, with the last answer as the reason", async () => {
    const message = await deliveryFor();
    await script(message.triggerId, [{ status: 500, body: "upstream down", forMs: 60_000 }]);
    const rounds = await drive(message, envWith({ ...policy, max_attempts: 3 }));
    expect(rounds).toEqual([
      { attempt: 1, outcome: "retried", delaySeconds: 1 },
      { attempt: 2, outcome: "retried", delaySeconds: 2 },
      { attempt: 3, outcome: "acked" },
    ]);
    const dead = await deadLetterOf(message.triggerId, "main-slack");
    expect(dead).toMatchObject({
      reason: "gave up after 3 attempts; last: HTTP 500: upstream down",
      attempts: 3,
      lastStatus: 500,
    });
    expect(await received(message.triggerId)).toEqual([]);
  });

  it.each([
    ["Retry-After longer than the backoff wins", { "retry-after": "2" }, 2],
    ["Retry-After shorter than the backoff does not shorten it", { "retry-after": "0" }, 1],
    ["no Retry-After: the backoff", {}, 1],
    ["an unreadable Retry-After: the backoff", { "retry-after": "soon" }, 1],
  ])("429: %s, then delivers exactly once", async (_what, headers, delay) => {
    const message = await deliveryFor();
    await script(message.triggerId, [{ status: 429, headers, body: "rate_limited" }]);
    const rounds = await drive(message, envWith(policy));
    expect(rounds).toEqual([
      { attempt: 1, outcome: "retried", delaySeconds: delay },
      { attempt: 2, outcome: "acked" },
    ]);
    expect(await received(message.triggerId)).toHaveLength(1);
  });

  it("never quotes the webhook URL's path from an answer (a framework's 404 echoes it)", async () => {
    const message = await deliveryFor();
    await script(message.triggerId, [{ status: 404, body: `Cannot POST ${HOOKS["main-slack"]}` }]);
    expect(await drive(message, envWith(policy))).toEqual([{ attempt: 1, outcome: "acked" }]);
    const dead = await deadLetterOf(message.triggerId, "main-slack");
    expect(dead.reason).toBe("HTTP 404: Cannot POST [webhook URL]");
    expect(JSON.stringify(dead)).not.toContain(HOOKS["main-slack"]);
  });
});
