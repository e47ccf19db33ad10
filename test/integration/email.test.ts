// End to end for email: POST /events → real local queue → consumer → the local
// send_email binding (its .eml files) and the Resend stand-in, with dead letters.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { claimsFor } from "../../src/delivery/claims.ts";
import { type DeadLetterRecord, deadLetterKey } from "../../src/storage/dead-letters.ts";
import { deliveryId } from "../../src/storage/delivery-message.ts";
import { eventKey } from "../../src/storage/event-key.ts";
import { TAG } from "../support/ids.ts";
import { parseMime } from "../support/mime.ts";
import { HOOKS, TEST_RESEND_KEY } from "../support/test-env.ts";
import { closeEvent, mailAtLeast, post, received, receivedAtLeast, script, waitFor } from "../support/worker.ts";

async function states(triggerId: string) {
  const all = await claimsFor(env, await eventKey("TEST_APP", triggerId)).states();
  return Object.fromEntries(all.map((s) => [s.destination, s]));
}

async function deadLetter(triggerId: string, destination: string): Promise<DeadLetterRecord> {
  const id = deliveryId({ eventKey: await eventKey("TEST_APP", triggerId), destination });
  return waitFor(
    async () => (await env.RELAY_STATE.get<DeadLetterRecord>(deadLetterKey(id), "json")) ?? undefined,
    15_000,
    `dead letter ${id}`,
  );
}

/** A session_state_open with the email tag (TAG.email): only the two email destinations get it, so only Resend sees its triggerId. */
const emailOnlyEvent = () => closeEvent({ type: "session_state_open" }, { tags: [TAG.email] });

describe("delivery by email", () => {
  it("sends an event with the email tag through the send_email binding and through Resend", async () => {
    const event = closeEvent(
      {},
      {
        tags: [TAG.email],
        note: "환불 요청합니다 </script>",
        userGroups: ["<!channel>"],
        id: "s\r\nBcc: evil@example.com",
      },
    );
    const answer = await post(event);
    expect(answer.status).toBe(202);
    expect(answer.body.destinations).toEqual(["main-slack", "team-mail", "resend-mail"]);

    // The binding: one .eml per recipient, each the whole message.
    const files = await mailAtLeast(event.triggerId, 2);
    expect(files).toHaveLength(2);
    for (const file of files) {
      const mime = parseMime(file.raw.replace(/\r?\n/g, "\r\n"));
      expect(mime.header("From")).toBe("Gitple 알림 <relay@example.com>");
      expect(mime.header("To")).toBe("<ops@example.com>, <cs@example.com>");
      expect(mime.header("Subject")).toBe("[Gitple] session_state_close s Bcc: evil@example.com");
      expect(mime.header("X-Gitple-Trigger-Id")).toBe(event.triggerId);
      expect(mime.header("Message-ID")).toMatch(/@example\.com>$/);
      expect(mime.header("Date")).toMatch(/\+0000$/);
      expect(mime.fields.some((f) => /^(?:bcc|cc)$/i.test(f.name))).toBe(false);
      const [text, html] = mime.parts;
      expect(text?.contentType).toBe("text/plain; charset=UTF-8");
      expect(text?.text).toContain("Session closed (userCancel)\r\n\r\nSession: s Bcc: evil@example.com\r\n");
      expect(text?.text).toContain("User groups: <!channel>\r\n\r\nNote:\r\n환불 요청합니다 </script>\r\n");
      expect(text?.text).toContain(
        "Open in Gitple: https://console.gitple.io/sessions/s%20Bcc%3A%20evil%40example.com",
      );
      expect(text?.text).toContain(`-- \r\nGitple · session_state_close · trigger ${event.triggerId} · TEST_APP\r\n`);
      expect(html?.contentType).toBe("text/html; charset=UTF-8");
      expect(html?.text).toContain("환불 요청합니다 &lt;/script&gt;");
      expect(html?.text).toContain("<td>&lt;!channel&gt;</td>");
      expect(html?.text).not.toContain("</script>");
    }

    // Resend: one request for every recipient, with the key.
    const [request, ...extra] = (await receivedAtLeast(event.triggerId, 2)).filter(
      (r) => r.path === HOOKS["resend-mail"],
    );
    expect(extra).toEqual([]);
    expect(request?.headers.authorization).toBe(`Bearer ${TEST_RESEND_KEY}`);
    const body = JSON.parse(request?.body ?? "{}");
    expect(body).toMatchObject({
      from: "relay@example.com",
      to: ["ops@example.com"],
      subject: "Session closed (userCancel)",
    });
    expect(body.text).toContain("Note:\n환불 요청합니다 </script>\n");
    expect(body.html).toContain("환불 요청합니다 &lt;/script&gt;");

    await waitFor(async () => ((await states(event.triggerId))["team-mail"]?.state === "delivered" ? true : undefined));
    expect(await states(event.triggerId)).toMatchObject({
      "team-mail": { state: "delivered", attempts: 1, lastStatus: 202 },
      "resend-mail": { state: "delivered", attempts: 1, lastStatus: 200 },
    });
  });

  it("dead-letters a 422 from Resend at once, quoting its answer, while the binding still delivers", async () => {
    const event = emailOnlyEvent();
    const answer = '{"statusCode":422,"name":"validation_error","message":"The `from` domain is not verified."}';
    await script(event.triggerId, [{ status: 422, body: answer }, { status: 200 }]);
    const accepted = await post(event);
    expect(accepted.body.destinations).toEqual(["team-mail", "resend-mail"]);
    const dead = await deadLetter(event.triggerId, "resend-mail");
    expect(dead).toMatchObject({
      triggerId: event.triggerId,
      destination: "resend-mail",
      reason: `HTTP 422: ${answer}`,
      attempts: 1,
      lastStatus: 422,
      state: "dead",
    });
    expect(dead.reason).not.toContain(TEST_RESEND_KEY);
    expect(JSON.parse(dead.event ?? "{}")).toEqual(event);
    expect((await received(event.triggerId)).filter((r) => r.path === HOOKS["resend-mail"])).toEqual([]);
    expect(await mailAtLeast(event.triggerId, 2)).toHaveLength(2);
  });

  it("retries Resend after a 503, then delivers once", async () => {
    const event = emailOnlyEvent();
    await script(event.triggerId, [{ status: 503, body: '{"name":"internal_server_error"}' }]);
    await post(event);
    await waitFor(async () =>
      (await states(event.triggerId))["resend-mail"]?.state === "delivered" ? true : undefined,
    );
    expect((await states(event.triggerId))["resend-mail"]).toMatchObject({ state: "delivered", attempts: 2 });
    expect((await received(event.triggerId)).filter((r) => r.path === HOOKS["resend-mail"])).toHaveLength(1);
  });
});
