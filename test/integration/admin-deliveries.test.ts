// GET /admin/deliveries: what happened to an event, through the Worker's real
// fetch handler, queue, claims and fake receiver. The record lives in the
// event's claim object (it was a RELAY_STATE record before issue 13; those are
// still read during the transition).
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { claimsFor } from "../../src/delivery/claims.ts";
import { sha256Hex } from "../../src/lib/sha256.ts";
import { deliveryId } from "../../src/storage/delivery-message.ts";
import { eventKey } from "../../src/storage/event-key.ts";
import { TRACKING_MIN_TTL_SECONDS } from "../../src/storage/tracking.ts";
import { admin, recordingQueue } from "../support/admin.ts";
import { TAG } from "../support/ids.ts";
import { closeEvent, post, receivedAtLeast, script, signedRequest, uniqueId, waitFor } from "../support/worker.ts";

interface DestinationState {
  destination: string;
  state: string;
  attempts: number;
  lastStatus: number | null;
  lastReason: string | null;
  updatedAt: string | null;
  deadLetterId?: string;
}
interface TrackedEvent {
  appCode: string | null;
  type: string;
  acceptedAt: string;
  destinations: DestinationState[];
}

const ctx = { waitUntil() {}, passThroughOnException() {}, props: {} };

async function deliveries(query: string) {
  const r = await admin(`/deliveries?${query}`);
  return { ...r, events: (r.body.events ?? []) as TrackedEvent[] };
}

/** Polls until the event's first destination reaches `state`. */
async function untilState(triggerId: string, state: string): Promise<TrackedEvent> {
  return waitFor(
    async () => {
      const [event] = (await deliveries(`triggerId=${encodeURIComponent(triggerId)}`)).events;
      return event?.destinations[0]?.state === state ? event : undefined;
    },
    15_000,
    `${triggerId} ${state}`,
  );
}

describe("GET /admin/deliveries", () => {
  it("shows a delivered event: when accepted, and per destination state, attempts and last status", async () => {
    const before = new Date().toISOString();
    const event = closeEvent({}, { tags: [TAG.vip] });
    expect((await post(event)).status).toBe(202);
    await receivedAtLeast(event.triggerId, 2);
    const tracked = await waitFor(async () => {
      const r = await deliveries(`triggerId=${encodeURIComponent(event.triggerId)}`);
      const [e] = r.events;
      return e?.destinations.every((d) => d.state === "delivered") ? r : undefined;
    });
    expect(tracked.status).toBe(200);
    expect(tracked.body.triggerId).toBe(event.triggerId);
    expect(tracked.events).toEqual([
      {
        appCode: "TEST_APP",
        type: "session_state_close",
        acceptedAt: expect.any(String),
        destinations: [
          {
            destination: "vip-slack",
            state: "delivered",
            attempts: 1,
            lastStatus: 200,
            lastReason: null,
            updatedAt: expect.any(String),
          },
          {
            destination: "main-slack",
            state: "delivered",
            attempts: 1,
            lastStatus: 200,
            lastReason: null,
            updatedAt: expect.any(String),
          },
        ],
      },
    ]);
    expect((tracked.events[0]?.acceptedAt ?? "") >= before).toBe(true);
  });

  it("shows a dead delivery with its reason and the dead letter's id", async () => {
    const event = closeEvent();
    await script(event.triggerId, [{ status: 404, body: "channel_not_found" }]);
    await post(event);
    const tracked = await untilState(event.triggerId, "dead");
    const id = deliveryId({ eventKey: await eventKey("TEST_APP", event.triggerId), destination: "main-slack" });
    expect(tracked.destinations).toEqual([
      expect.objectContaining({
        destination: "main-slack",
        state: "dead",
        attempts: 1,
        lastStatus: 404,
        lastReason: "HTTP 404: channel_not_found",
        deadLetterId: id,
      }),
    ]);
  });

  it("shows destinations the consumer has not reached yet as queued", async () => {
    const event = closeEvent({}, { tags: [TAG.vip] });
    const queue = recordingQueue();
    const response = await (await import("../../src/index.ts")).default.fetch(
      await signedRequest(event),
      { ...env, DELIVERIES: queue } as unknown as Env,
      ctx as never,
    );
    expect(response.status).toBe(202);
    expect(queue.sent).toHaveLength(2);
    const r = await deliveries(`triggerId=${encodeURIComponent(event.triggerId)}`);
    expect(r.events[0]?.destinations).toEqual([
      { destination: "vip-slack", state: "queued", attempts: 0, lastStatus: null, lastReason: null, updatedAt: null },
      { destination: "main-slack", state: "queued", attempts: 0, lastStatus: null, lastReason: null, updatedAt: null },
    ]);
  });

  it("reads an attempt in flight as queued on the first attempt and retrying after", async () => {
    const event = closeEvent();
    const queue = recordingQueue();
    const { default: relay } = await import("../../src/index.ts");
    await relay.fetch(await signedRequest(event), { ...env, DELIVERIES: queue } as unknown as Env, ctx as never);
    const claims = claimsFor(env, await eventKey("TEST_APP", event.triggerId));
    const state = async () =>
      (await deliveries(`triggerId=${encodeURIComponent(event.triggerId)}`)).events[0]?.destinations[0];

    expect(await claims.claim("main-slack", 60_000, 3)).toEqual({ outcome: "claimed", attempt: 1 });
    expect(await state()).toMatchObject({ state: "queued", attempts: 1 });
    await claims.failed("main-slack", { status: 503, reason: "HTTP 503", dead: false });
    expect(await state()).toMatchObject({ state: "retrying", attempts: 1, lastStatus: 503, lastReason: "HTTP 503" });
    expect(await claims.claim("main-slack", 60_000, 3)).toEqual({ outcome: "claimed", attempt: 2 });
    expect(await state()).toMatchObject({ state: "retrying", attempts: 2 });
  });

  it("finds every appCode's event with one triggerId, and filters by appCode", async () => {
    const triggerId = uniqueId("apps");
    const ours = closeEvent({ triggerId });
    const theirs = closeEvent({ triggerId, appCode: "OTHER_APP" });
    expect((await post(ours)).status).toBe(202);
    expect((await post(theirs)).status).toBe(202);

    const all = await deliveries(`triggerId=${triggerId}`);
    expect(all.status).toBe(200);
    expect(all.events.map((e) => e.appCode).sort()).toEqual(["OTHER_APP", "TEST_APP"]);

    const one = await deliveries(`triggerId=${triggerId}&appCode=OTHER_APP`);
    expect(one.events.map((e) => e.appCode)).toEqual(["OTHER_APP"]);
    expect((await deliveries(`triggerId=${triggerId}&appCode=NO_SUCH_APP`)).status).toBe(404);
  });

  it("keeps the record at least 7 days", async () => {
    const event = closeEvent();
    await post(event);
    await untilState(event.triggerId, "delivered");
    // The record lives in the event's claim object, which forgets it at its retention alarm.
    const claims = claimsFor(env, await eventKey("TEST_APP", event.triggerId));
    const floor = Date.now() + TRACKING_MIN_TTL_SECONDS * 1000 - 60_000;
    const alarm = await waitFor(async () => {
      const at = await runInDurableObject(claims, (_o, state) => state.storage.getAlarm());
      return at !== null && at >= floor ? at : undefined;
    });
    expect(alarm).toBeGreaterThanOrEqual(floor);
  });

  it("still accepts the event when the delivery record cannot be written", async () => {
    const event = closeEvent();
    const queue = recordingQueue();
    const failingClaims = {
      idFromName: (name: string) => env.CLAIMS.idFromName(name),
      get: () => {
        throw new Error("durable objects down");
      },
    };
    const { default: relay } = await import("../../src/index.ts");
    const response = await relay.fetch(
      await signedRequest(event),
      { ...env, DELIVERIES: queue, CLAIMS: failingClaims } as unknown as Env,
      ctx as never,
    );
    expect(response.status).toBe(202);
    expect(queue.sent).toHaveLength(1);
    expect((await deliveries(`triggerId=${encodeURIComponent(event.triggerId)}`)).status).toBe(404);
  });

  it("still finds an event recorded the way it was before the claim object kept the record", async () => {
    // Accepted before the deploy: a RELAY_STATE record (kept at least 7 days), the states in the claim object.
    const triggerId = uniqueId("legacy");
    const key = await eventKey("TEST_APP", triggerId);
    const acceptedAt = new Date().toISOString();
    const record = {
      eventKey: key,
      triggerId,
      appCode: "TEST_APP",
      type: "session_state_close",
      acceptedAt,
      destinations: ["main-slack"],
    };
    await env.RELAY_STATE.put(`delivery:${await sha256Hex(triggerId)}:${key}`, JSON.stringify(record));
    await claimsFor(env, key).claim("main-slack", 60_000, 3);
    await claimsFor(env, key).delivered("main-slack", 200);
    for (const query of [`triggerId=${triggerId}`, `triggerId=${triggerId}&appCode=TEST_APP`]) {
      const r = await deliveries(query);
      expect(r.status).toBe(200);
      expect(r.events).toEqual([
        {
          appCode: "TEST_APP",
          type: "session_state_close",
          acceptedAt,
          destinations: [
            expect.objectContaining({ destination: "main-slack", state: "delivered", attempts: 1, lastStatus: 200 }),
          ],
        },
      ]);
    }
  });

  it("answers 404 for a triggerId never accepted", async () => {
    const r = await deliveries(`triggerId=${uniqueId("never")}`);
    expect(r.status).toBe(404);
    expect(r.body).toEqual({ error: "no event with this triggerId was accepted (records are kept at least 7 days)" });
  });

  it.each([
    ["", 'missing query parameter "triggerId"'],
    ["triggerId=", 'missing query parameter "triggerId"'],
    [`triggerId=${"t".repeat(257)}`, 'query parameter "triggerId" is longer than 256 characters'],
    ["triggerId=t&appCode=", 'missing query parameter "appCode"'],
    [`triggerId=t&appCode=${"a".repeat(257)}`, 'query parameter "appCode" is longer than 256 characters'],
  ])("answers 400 for ?%s", async (query, message) => {
    const r = await deliveries(query);
    expect(r.status).toBe(400);
    expect(r.body).toEqual({ error: message });
  });
});
