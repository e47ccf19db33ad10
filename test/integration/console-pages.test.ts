// The console's pages with other configs (through the Worker's real fetch
// handler): an invalid config's problems, the keys newer issues add
// (`timezone`, `[gitple]`, Slack app destinations), a full first page of dead
// letters, the Deliveries page for delivered, held and refused deliveries,
// and POST /admin/explain?render=1, which the playground reads.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { formatTime } from "../../src/console/time.ts";
import { holdsFor } from "../../src/holds/object.ts";
import { trackAccepted } from "../../src/storage/tracking.ts";
import { admin, makeDeadLetter } from "../support/admin.ts";
import { deployedEnv, signedInBrowser } from "../support/console.ts";
import { TAG } from "../support/ids.ts";
import { consume, deliveryFor } from "../support/queue.ts";
import { TEST_ROUTING } from "../support/test-env.ts";
import { closeEvent, post, script, waitFor } from "../support/worker.ts";

describe("the Status page", () => {
  it("lists every config problem with its path, and the settings newer keys add, never a value", async () => {
    const routing = {
      ...TEST_ROUTING,
      timezone: "Asia/Seoul",
      gitple: { api_secret: "GITPLE_API_SECRET", api_url: "http://127.0.0.1:9/v1", timeout_seconds: 3 },
      destinations: {
        ...TEST_ROUTING.destinations,
        "support-app": {
          type: "slack",
          bot_token_secret: "SLACK_BOT_TOKEN",
          channel: "C0123ABCD",
          per_session: "update",
        },
      },
      fallback: ["nowhere"],
    };
    const b = await signedInBrowser({ ...deployedEnv, ROUTING: routing, SLACK_BOT_TOKEN: "xoxb-never-shown" });
    const r = await b.fetch("/admin");
    expect(r.status).toBe(200);
    expect(r.html).toContain("invalid:");
    expect(r.html).toContain("fallback[0]: unknown destination &quot;nowhere&quot;");
    expect(r.html).toContain("<dd>Asia/Seoul</dd>");
    expect(r.html).toContain("<h2>Gitple Open API</h2>");
    expect(r.html).toContain("<code>GITPLE_API_SECRET</code>");
    expect(r.html).toContain("<h2>Slack app destinations</h2>");
    expect(r.html).toContain("<code>C0123ABCD</code>");
    expect(r.html).not.toContain("xoxb-never-shown");
  });
});

describe("the Dead letters page", () => {
  it("shows at least 25 on its first page, newest first, at their own URLs, in the configured timezone", async () => {
    const made = [];
    // Recent, so they come before any older dead letter of other files in the newest-first listing.
    const base = Date.now() - 30 * 60_000;
    for (let i = 0; i < 26; i++)
      made.push(await makeDeadLetter(new Date(base + i * 60_000), closeEvent(), "console-many"));
    const b = await signedInBrowser({ ...deployedEnv, ROUTING: { ...TEST_ROUTING, timezone: "Asia/Seoul" } });
    const r = await b.fetch("/admin/ui/dead-letters?destination=console-many");
    const links = [...r.html.matchAll(/href="\/admin\/ui\/dead-letters\/([^"]+)"/g)].map((m) =>
      decodeURIComponent(m[1] ?? ""),
    );
    expect(links).toEqual(made.map((d) => d.id).reverse());
    expect(r.html).toContain(`>${formatTime(made[25]?.deadAt, "Asia/Seoul")}</a>`);
    expect(formatTime(made[25]?.deadAt, "Asia/Seoul")).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d KST$/);
    const detail = await b.fetch(`/admin/ui/dead-letters/${made[0]?.id}`);
    expect(detail.html).toContain(`<dd>${formatTime(made[0]?.deadAt, "Asia/Seoul")}</dd>`);
  });
});

interface Tracked {
  acceptedAt: string;
  destinations: { destination: string; state: string; updatedAt: string | null; deadLetterId?: string }[];
}

/** The event's record in GET /admin/deliveries, once every destination is `state`. */
function trackedWhen(triggerId: string, state: string): Promise<Tracked> {
  return waitFor(async () => {
    const r = await admin(`/deliveries?triggerId=${encodeURIComponent(triggerId)}`);
    const [e] = (r.body.events ?? []) as Tracked[];
    return e?.destinations.every((d) => d.state === state) ? e : undefined;
  }, 15_000);
}

describe("the Deliveries page", () => {
  const seoul = { ...TEST_ROUTING, timezone: "Asia/Seoul" };
  const page = async (bindings: Record<string, unknown>, triggerId: string) =>
    (await (await signedInBrowser(bindings)).fetch(`/admin/ui/deliveries?triggerId=${encodeURIComponent(triggerId)}`))
      .html;

  it("shows a delivered event's states, attempts, last status and times in the configured timezone", async () => {
    const event = closeEvent({}, { tags: [TAG.vip] });
    expect((await post(event)).status).toBe(202);
    const tracked = await trackedWhen(event.triggerId, "delivered");
    const html = await page({ ...deployedEnv, ROUTING: seoul }, event.triggerId);
    expect(html).toContain(`<dt>Accepted</dt><dd>${formatTime(tracked.acceptedAt, "Asia/Seoul")}</dd>`);
    for (const d of tracked.destinations) {
      const updated = formatTime(d.updatedAt, "Asia/Seoul");
      expect(updated).toMatch(/KST$/);
      expect(html).toContain(
        `<td>${d.destination}</td><td class="state-delivered">delivered</td><td class="num">1</td><td>200</td><td>—</td><td>${updated}</td>`,
      );
    }
    expect(html).toContain("held: in quiet hours");
  });

  it("shows a delivery quiet hours hold as held, until the window's end", async () => {
    const always = [{ days: ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] }];
    const destinations = {
      ...seoul.destinations,
      gchat: { ...seoul.destinations.gchat, quiet_hours: always, during_quiet: "defer" },
    };
    const routing = { ...seoul, destinations };
    const m = await deliveryFor("gchat", closeEvent({}, { tags: [TAG.gchat] }));
    await trackAccepted(env.RELAY_STATE, { ...m, destinations: ["gchat"] }, 3600);
    await consume([m], { ...env, ROUTING: routing } as unknown as Env);
    const until = await holdsFor(env, "gchat").heldUntil(m.eventKey);
    expect(until).not.toBeNull();
    const html = await page({ ...deployedEnv, ROUTING: routing }, m.triggerId);
    const end = formatTime(new Date(until ?? 0).toISOString(), "Asia/Seoul");
    expect(html).toContain(`<td>gchat</td><td class="state-held">held until ${end}</td><td class="num">0</td>`);
  });

  it("shows a receiver's answer as text, there and on the dead letter's page", async () => {
    const answer = `<img src=x onerror=alert(1)><script>alert("x")</script>`;
    const event = closeEvent();
    await script(event.triggerId, [{ status: 404, body: answer }]);
    expect((await post(event)).status).toBe(202);
    const tracked = await trackedWhen(event.triggerId, "dead");
    const escaped = "HTTP 404: &lt;img src=x onerror=alert(1)&gt;&lt;script&gt;alert(&quot;x&quot;)";
    const b = await signedInBrowser();
    const deliveries = await b.fetch(`/admin/ui/deliveries?triggerId=${encodeURIComponent(event.triggerId)}`);
    const detail = await b.fetch(`/admin/ui/dead-letters/${tracked.destinations[0]?.deadLetterId}`);
    for (const html of [deliveries.html, detail.html]) {
      expect(html).toContain(escaped);
      expect(html).not.toMatch(/<script|<img/i);
    }
  });
});

describe("POST /admin/explain?render=1", () => {
  it("adds each routed destination's message, as `routes explain --json --render` does", async () => {
    const event = closeEvent({}, { tags: [TAG.vip], note: "택배 분실" });
    const plain = await admin("/explain", { method: "POST", body: event });
    expect(plain.body.messages).toBeUndefined();
    const r = await admin("/explain?render=1", { method: "POST", body: event });
    expect(r.status).toBe(200);
    const messages = r.body.messages as {
      destination: string;
      type: string;
      contentType: string;
      body: { text: string };
    }[];
    expect(messages.map((m) => [m.destination, m.type, m.contentType])).toEqual([
      ["vip-slack", "slack", "application/json"],
      ["main-slack", "slack", "application/json"],
    ]);
    expect(JSON.stringify(messages[0]?.body)).toContain("택배 분실");
    expect({ ...r.body, messages: undefined }).toEqual({ ...plain.body, messages: undefined });
  });
});
