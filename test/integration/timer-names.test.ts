// A timer notice names the customer (issue 14: "the customer's name, with the Gitple Open API
// configured"). The session's alarm reads no config, so the consumer resolves the notice's ids
// through the name caches when it delivers it. The timer is set through the Worker's fetch and
// fired through the object's alarm; its notice (as the webhook destination received it, byte for
// byte) is then delivered by the consumer with a [vars.ROUTING.gitple] config aimed at the Open API
// stand-in, in Korean and in English.
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { DEMO_IDS, demoSessionEvent } from "../../scripts/lib/gitple-demo-data.ts";
import relay from "../../src/index.ts";
import type { SessionState } from "../../src/sessions/object.ts";
import { sessionFor } from "../../src/sessions/stub.ts";
import { eventKey } from "../../src/storage/event-key.ts";
import { consume } from "../support/queue.ts";
import { HOOKS, TEST_ROUTING } from "../support/test-env.ts";
import { receivedAtLeast, signedRequest, uniqueId } from "../support/worker.ts";
import { workspace } from "../unit/gitple/stand-in.ts";

const ctx = { waitUntil() {}, passThroughOnException() {}, props: {} };

describe("a timer notice with the Open API configured", () => {
  it("shows the customer's name and the tags by name; the ids stay in the footer", async () => {
    const ws = await workspace();
    const timer = {
      name: "unassigned-5m",
      start: "session_state_open",
      stop: ["session_state_inprogress", "session_state_close"],
      after: "5m",
      destinations: ["webhook"],
      app_codes: [ws.appCode],
    };
    const gitple = { api_secret: "GITPLE_API_SECRET", api_url: ws.conn.apiUrl, timeout_seconds: 2 };
    const runEnv = {
      ...env,
      ROUTING: { ...TEST_ROUTING, rules: [], fallback: [], timers: [timer], gitple },
    } as unknown as Env;
    const open = demoSessionEvent("session_state_open", uniqueId("open"), ws.appCode);
    const s = uniqueId("s");
    const event = { ...open, session: { ...open.session, id: s, openTime: new Date().toISOString() } };
    expect((await relay.fetch(await signedRequest(event), runEnv, ctx as never)).status).toBe(202);

    const stub = sessionFor(env, ws.appCode, s) as DurableObjectStub<SessionState>;
    await runInDurableObject(stub, (_o: SessionState, state) => {
      state.storage.sql.exec(
        "UPDATE timers SET started_at = started_at - 300000, next_fire_at = next_fire_at - 300000",
      );
    });
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    const triggerId = `timer:unassigned-5m:${s}:1`;
    const [notice] = await receivedAtLeast(triggerId, 1);
    expect(notice?.path).toBe(HOOKS.webhook);
    const before = (await ws.calls()).total;

    const message = (destination: string) => ({
      v: 1,
      eventKey: "",
      triggerId,
      appCode: ws.appCode,
      type: "timer",
      destination,
      rules: [],
      acceptedAt: new Date().toISOString(),
      payload: { inline: notice?.body ?? "" },
    });
    const keyed = async (destination: string) => ({
      ...message(destination),
      eventKey: await eventKey(ws.appCode, `${triggerId}:${uniqueId(destination)}`),
    });
    const result = await consume([await keyed("ko-slack"), await keyed("main-slack")], runEnv);
    expect(result.acked).toHaveLength(2);
    const got = await receivedAtLeast(triggerId, 3);
    const ko = got.find((r) => r.path === HOOKS.ops)?.body ?? "";
    const en = got.find((r) => r.path === HOOKS["main-slack"])?.body ?? "";
    expect(ko).toContain(`대기 5분: 상담 ${s}`);
    expect(ko).toContain("*고객*\\n박지훈");
    expect(en).toContain("*User*\\n박지훈");
    expect(en).toContain("VIP");
    expect(en).toContain("배송 › 분실 › 택배 분실");
    expect(en).toContain(`user ${DEMO_IDS.users.park}`);
    // Resolved once at ingest (the open event), so the notices came from the caches or a users call at most.
    expect((await ws.calls()).total - before).toBeLessThanOrEqual(1);
  });
});
