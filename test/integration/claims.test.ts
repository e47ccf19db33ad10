// The claim object's waits: after a failed attempt every copy of the delivery
// waits out the backoff (or the receiver's Retry-After), not only the copy the
// consumer retried with that delay; and the lease lasts a whole attempt.
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { DeliveryClaims, NOT_BEFORE_SLACK_MS } from "../../src/delivery/claims.ts";
import { attemptsAt, consume, deliveryFor, deliveryStates, envWith } from "../support/queue.ts";
import { received, receivedAtLeast, script, uniqueId } from "../support/worker.ts";

function freshClaims(): DurableObjectStub<DeliveryClaims> {
  return env.CLAIMS.get(env.CLAIMS.idFromName(uniqueId("claims"))) as DurableObjectStub<DeliveryClaims>;
}

/**
 * Runs `body` (synchronous, as the object's methods are) inside the claim
 * object with `Date.now()` pinned by `at(ms)`; the real clock is back before
 * anything else in the isolate runs.
 */
function atTime(
  claims: DurableObjectStub<DeliveryClaims>,
  body: (o: DeliveryClaims, at: (ms: number) => void) => void,
) {
  return runInDurableObject(claims, (instance: DeliveryClaims) => {
    try {
      body(instance, (ms) => vi.setSystemTime(ms));
    } finally {
      vi.useRealTimers();
    }
  });
}

describe("the claim after a failed attempt", () => {
  const T = Date.UTC(2001, 0, 1); // long past, so a clock left pinned would show
  const fail = (retryInMs: number) => ({ status: 429, reason: "HTTP 429: rate_limited", dead: false, retryInMs });

  it("is busy until the retry delay has passed, then claimable", async () => {
    const before = Date.now();
    await atTime(freshClaims(), (claims, at) => {
      at(T);
      expect(claims.claim("main-slack", 60_000, 5)).toEqual({ outcome: "claimed", attempt: 1 });
      claims.failed("main-slack", fail(3_600_000));
      at(T + 1);
      expect(claims.claim("main-slack", 60_000, 5)).toEqual({ outcome: "busy", retryInMs: 3_599_999, why: "backoff" });
      at(T + 3_600_000 - NOT_BEFORE_SLACK_MS - 1);
      expect(claims.claim("main-slack", 60_000, 5)).toEqual({
        outcome: "busy",
        retryInMs: NOT_BEFORE_SLACK_MS + 1,
        why: "backoff",
      });
      at(T + 3_600_000);
      expect(claims.claim("main-slack", 60_000, 5)).toEqual({ outcome: "claimed", attempt: 2 });
    });
    expect(Date.now()).toBeGreaterThanOrEqual(before);
  });

  it("lets the consumer's own retry in when it arrives a little early (clock skew)", async () => {
    await atTime(freshClaims(), (claims, at) => {
      at(T);
      claims.claim("main-slack", 60_000, 5);
      claims.failed("main-slack", fail(2000));
      at(T + 2000 - NOT_BEFORE_SLACK_MS);
      expect(claims.claim("main-slack", 60_000, 5)).toEqual({ outcome: "claimed", attempt: 2 });
    });
  });

  it.each([
    ["no delay", { status: 503, reason: "HTTP 503", dead: false }, { outcome: "claimed", attempt: 2 }],
    ["a delay of 0", fail(0), { outcome: "claimed", attempt: 2 }],
    ["a dead pair (the delay is ignored)", { ...fail(60_000), dead: true }, { outcome: "dead" }],
  ])("does not wait after a failure with %s", async (_what, failure, expected) => {
    await atTime(freshClaims(), (claims, at) => {
      at(T);
      claims.claim("main-slack", 60_000, 5);
      claims.failed("main-slack", failure);
      expect(claims.claim("main-slack", 60_000, 5)).toEqual(expected);
    });
  });

  it("a new attempt's claim clears the wait; a replay of a dead pair starts without one", async () => {
    await atTime(freshClaims(), (claims, at) => {
      at(T);
      claims.claim("main-slack", 60_000, 5);
      claims.failed("main-slack", fail(10_000));
      at(T + 10_000);
      claims.claim("main-slack", 5_000, 5);
      at(T + 15_000); // the lease lapsed: nothing of the old wait is left
      expect(claims.claim("main-slack", 60_000, 5)).toEqual({ outcome: "claimed", attempt: 3 });
      claims.failed("main-slack", { ...fail(0), dead: true });
      expect(claims.reopen("main-slack")).toBe(true);
      expect(claims.claim("main-slack", 60_000, 5)).toEqual({ outcome: "claimed", attempt: 1 });
    });
  });

  it("keeps per-destination waits apart", async () => {
    await atTime(freshClaims(), (claims, at) => {
      at(T);
      claims.claim("main-slack", 60_000, 5);
      claims.failed("main-slack", fail(60_000));
      expect(claims.claim("second-slack", 60_000, 5)).toEqual({ outcome: "claimed", attempt: 1 });
      expect(claims.claim("main-slack", 60_000, 5)).toMatchObject({ outcome: "busy", why: "backoff" });
    });
  });
});

describe("an object created before not_before existed", () => {
  it("gets the column on its next start, keeps its rows, and starts again without error", async () => {
    const stub = freshClaims();
    await runInDurableObject(stub, (_instance: DeliveryClaims, state) => {
      state.storage.sql.exec("DROP TABLE deliveries");
      // The schema as the first version created it.
      state.storage.sql.exec(`CREATE TABLE deliveries (
        destination TEXT PRIMARY KEY,
        state TEXT NOT NULL,
        lease_until INTEGER NOT NULL DEFAULT 0,
        attempts INTEGER NOT NULL DEFAULT 0,
        last_status INTEGER,
        last_reason TEXT,
        updated_at INTEGER NOT NULL
      )`);
      state.storage.sql.exec(
        "INSERT INTO deliveries (destination, state, lease_until, attempts, last_status, last_reason, updated_at) VALUES ('main-slack', 'retrying', 0, 1, 503, 'HTTP 503', 1)",
      );
      const columns = () =>
        state.storage.sql
          .exec<{ name: string }>("PRAGMA table_info(deliveries)")
          .toArray()
          .map((c) => c.name);
      expect(columns()).not.toContain("not_before");

      const upgraded = new DeliveryClaims(state, env);
      expect(columns()).toContain("not_before");
      expect(upgraded.states()).toMatchObject([{ destination: "main-slack", state: "retrying", attempts: 1 }]);
      expect(upgraded.claim("main-slack", 60_000, 5)).toEqual({ outcome: "claimed", attempt: 2 });
      upgraded.failed("main-slack", { status: 429, reason: "HTTP 429", dead: false, retryInMs: 60_000 });
      expect(upgraded.claim("main-slack", 60_000, 5)).toMatchObject({ outcome: "busy", why: "backoff" });

      const again = new DeliveryClaims(state, env);
      expect(columns().filter((c) => c === "not_before")).toHaveLength(1);
      expect(again.claim("main-slack", 60_000, 5)).toMatchObject({ outcome: "busy", why: "backoff" });
    });
  });
});

describe("copies of a delivery after a 429 with Retry-After (the consumer driven directly)", () => {
  const policy = { max_attempts: 5, backoff_seconds: 0, max_backoff_seconds: 0, timeout_seconds: 2 };

  it("a copy arriving right after a Retry-After of an hour posts nothing and waits the rest of that hour", async () => {
    const message = await deliveryFor();
    await script(message.triggerId, [{ status: 429, headers: { "retry-after": "3600" }, body: "rate_limited" }]);
    const first = await consume([message], envWith(policy));
    expect(first).toMatchObject({ acked: [], retried: [{ delaySeconds: 3600 }] });

    const copy = await consume([message], envWith(policy));
    expect(copy.acked).toEqual([]);
    expect(copy.retried).toHaveLength(1);
    const delay = copy.retried[0]?.delaySeconds ?? 0;
    expect(delay).toBeGreaterThanOrEqual(3590);
    expect(delay).toBeLessThanOrEqual(3600);
    expect((await attemptsAt(message.triggerId)).map((a) => a.answer)).toEqual([429]);
    expect(await received(message.triggerId)).toEqual([]);
    expect(await deliveryStates(message.triggerId)).toMatchObject([
      { state: "retrying", attempts: 1, lastStatus: 429 },
    ]);
  });

  it("with a Retry-After of 4 s, the early copy waits, and the delivery arrives exactly once after", async () => {
    // 4 s leaves the early copy 3 s (the wait less the skew slack) to come in, even on a loaded machine.
    const message = await deliveryFor();
    await script(message.triggerId, [{ status: 429, headers: { "retry-after": "4" }, body: "rate_limited" }]);
    const first = await consume([message], envWith(policy));
    expect(first).toMatchObject({ acked: [], retried: [{ delaySeconds: 4 }] });
    const retriedAt = Date.now();

    const early = await consume([message], envWith(policy));
    expect(early).toMatchObject({ acked: [], retried: [{ delaySeconds: expect.any(Number) }] });
    expect(early.retried[0]?.delaySeconds).toBeGreaterThanOrEqual(2);
    expect(early.retried[0]?.delaySeconds).toBeLessThanOrEqual(4);
    expect(await received(message.triggerId)).toEqual([]);

    // As the queue would: both copies come back after their delays; one posts, the other finds it done.
    await new Promise((r) => setTimeout(r, 4000));
    expect((await consume([message], envWith(policy), 2)).acked).toHaveLength(1);
    expect((await consume([message], envWith(policy), 2)).acked).toHaveLength(1);
    const [post, ...extra] = await receivedAtLeast(message.triggerId, 1);
    expect(extra).toEqual([]);
    expect(post?.at ?? 0).toBeGreaterThanOrEqual(retriedAt + 3000);
    await new Promise((r) => setTimeout(r, 300));
    expect(await received(message.triggerId)).toHaveLength(1);
    expect((await attemptsAt(message.triggerId)).map((a) => a.answer)).toEqual([429, 200]);
    expect(await deliveryStates(message.triggerId)).toMatchObject([
      { state: "delivered", attempts: 2, lastStatus: 200 },
    ]);
  });
});

describe("the lease the consumer takes", () => {
  it.each([
    ["Slack: one timeout + 30 s", "main-slack", 35_000],
    ["email through the binding to two recipients: two timeouts + 30 s", "team-mail", 40_000],
  ])("%s", async (_what, destination, lease) => {
    const leases: number[] = [];
    const recording = {
      idFromName: (name: string) => env.CLAIMS.idFromName(name),
      get: (id: DurableObjectId) => {
        const stub = env.CLAIMS.get(id) as DurableObjectStub<DeliveryClaims>;
        return {
          claim: (d: string, leaseMs: number, max: number) => {
            leases.push(leaseMs);
            return stub.claim(d, leaseMs, max);
          },
          delivered: (d: string, status: number) => stub.delivered(d, status),
          failed: (d: string, f: Parameters<DeliveryClaims["failed"]>[1]) => stub.failed(d, f),
        };
      },
    };
    const message = await deliveryFor(destination);
    const result = await consume([message], envWith({ timeout_seconds: 5 }, { CLAIMS: recording }));
    expect(result.acked).toHaveLength(1);
    expect(leases).toEqual([lease]);
    expect(await deliveryStates(message.triggerId)).toMatchObject([{ destination, state: "delivered" }]);
  });
});
