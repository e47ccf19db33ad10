// A destination's `language` (issue 14): "ko" gives the relay's own words in Korean, end to end.
// A timer set through the real ingest fires through the session object's alarm (run with the test
// helper after moving its times back), and its notices travel the real queue and consumer to a
// Korean destination (`ko-slack` in the suite's config) and an English one; an event delivered to
// the Korean destination is titled in Korean, Gitple's reason code as sent.
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { acceptEvent } from "../../src/ingest/accept.ts";
import type { SessionState } from "../../src/sessions/object.ts";
import { sessionFor } from "../../src/sessions/stub.ts";
import { AGENT, TAG } from "../support/ids.ts";
import { consume, deliveryFor } from "../support/queue.ts";
import { HOOKS } from "../support/test-env.ts";
import { closeEvent, gitpleId, receivedAtLeast, signedRequest, uniqueId } from "../support/worker.ts";

const TIMERS = [
  {
    name: "unassigned-5m",
    start: "session_state_open",
    stop: ["session_state_inprogress", "session_state_close"],
    after: "5m",
    destinations: ["ko-slack", "main-slack"],
    tags: { any: [TAG.timerLanguage] },
  },
];
const timerEnv = { ...env, ROUTING: { ...(env.ROUTING as object), timers: TIMERS } } as unknown as Env;

describe("a Korean destination", () => {
  it("gets a Korean timer notice; an English one keeps today's text", async () => {
    const s = gitpleId();
    const open = closeEvent(
      { type: "session_state_open", triggerId: uniqueId("open") },
      { id: s, tags: [TAG.timerLanguage], openTime: new Date().toISOString(), closeTime: undefined, reason: undefined },
    );
    expect((await acceptEvent(await signedRequest(open), timerEnv)).ok).toBe(true);
    const stub = sessionFor(env, "TEST_APP", s) as DurableObjectStub<SessionState>;
    await runInDurableObject(stub, (_o: SessionState, state) => {
      state.storage.sql.exec(
        "UPDATE timers SET started_at = started_at - ?, next_fire_at = next_fire_at - ?",
        300_000,
        300_000,
      );
    });
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    const got = await receivedAtLeast(`timer:unassigned-5m:${s}:1`, 2);
    const ko = got.find((r) => r.path === HOOKS.ops)?.body ?? "";
    const en = got.find((r) => r.path === HOOKS["main-slack"])?.body ?? "";
    expect(ko).toContain(`대기 5분: 상담 ${s}`);
    expect(ko).toContain("*대기 시간*\\n5분");
    expect(ko).toContain(`*태그*\\n${TAG.timerLanguage}`);
    expect(ko).not.toContain("Waiting");
    expect(en).toContain(`Waiting 5 min: session ${s}`);
    expect(en).toContain("*Waited*\\n5 min");
    expect(en).not.toContain("대기");
  });

  it("titles a session event in Korean, Gitple's reason code as sent", async () => {
    const event = closeEvent({}, { note: uniqueId("ko-close") });
    const result = await consume([await deliveryFor("ko-slack", event)]);
    expect(result.acked).toHaveLength(1);
    const [got] = await receivedAtLeast(event.session.note, 1);
    const body = JSON.parse(got?.body ?? "{}");
    expect(body.blocks[0].text.text).toBe("상담 종료 (userCancel)");
    expect(got?.body).toContain(`*담당자*\\nagent ${AGENT.kim}`);
    expect(got?.body).toContain("*메모*");
  });
});
