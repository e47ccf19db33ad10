// The console's pages with other configs (through the Worker's real fetch
// handler): an invalid config's problems, the keys newer issues add
// (`timezone`, `[gitple]`, Slack app destinations), a full first page of dead
// letters, and POST /admin/explain?render=1, which the playground reads.
import { describe, expect, it } from "vitest";
import { formatTime } from "../../src/console/time.ts";
import { admin, makeDeadLetter } from "../support/admin.ts";
import { deployedEnv, signedInBrowser } from "../support/console.ts";
import { TAG } from "../support/ids.ts";
import { TEST_ROUTING } from "../support/test-env.ts";
import { closeEvent } from "../support/worker.ts";

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
