import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { DestinationConfig } from "../../../src/destinations/config.ts";
import type { SendContext } from "../../../src/destinations/contract.ts";
import { preview } from "../../../src/destinations/preview.ts";
import { sendTo } from "../../../src/destinations/registry.ts";
import { viewEvent } from "../../../src/event/view.ts";
import type { RoutingConfig } from "../../../src/routing/types.ts";
import { received, receiverBase, uniqueId } from "../../support/worker.ts";

/** A send context whose secret points the destination at the fake receiver. */
function context(event: Record<string, unknown> & { type: string; triggerId: string }, path: string): SendContext {
  return {
    event: viewEvent(event),
    raw: JSON.stringify(event),
    destination: "preview-slack",
    rules: ["r"],
    config: {} as RoutingConfig,
    secret: (name) => (name === "PREVIEW_URL" ? `${receiverBase()}${path}` : undefined),
    env: env as Env,
    timeoutMs: 5000,
  };
}

describe("preview: what a destination would receive", () => {
  it.each<[string, DestinationConfig, Record<string, unknown>]>([
    [
      "slack, a session close",
      { type: "slack", webhook_url_secret: "PREVIEW_URL", include_contact: false },
      { type: "session_state_close", session: { reason: "userCancel", tags: ["vip"], note: "*bold* <@U1>" } },
    ],
    [
      "slack with contact details, a message",
      { type: "slack", webhook_url_secret: "PREVIEW_URL", include_contact: true },
      { type: "send_external_message", to: { name: "Kim", email: "kim@example.com" }, message: { content: "hi" } },
    ],
  ])("%s: the exact body the sender posts", async (_, dest, fields) => {
    const triggerId = uniqueId("preview");
    const ctx = context({ triggerId, ...fields } as { type: string; triggerId: string }, "/hook/preview");
    const shown = preview(dest, ctx);
    expect(await sendTo(dest, ctx)).toEqual({ ok: true, status: 200 });
    const [req, ...more] = await received(triggerId);
    expect(more).toEqual([]);
    expect(shown).toEqual({ contentType: "application/json", body: req?.body });
    expect(req?.headers["content-type"]).toBe(shown.contentType);
  });
});
