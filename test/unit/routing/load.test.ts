import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { loadRouting } from "../../../src/routing/load.ts";

const ROUTING = {
  fallback: ["ops"],
  destinations: { ops: { type: "slack", webhook_url_secret: "OPS_URL" } },
};

/** An env of our own: loadRouting reads bindings by name only. */
const fakeEnv = (bindings: Record<string, unknown>) => bindings as unknown as Env;

describe("loadRouting", () => {
  it("validates the test suite's ROUTING against its secrets", () => {
    const result = loadRouting(env);
    const names = result.ok ? result.value.rules.map((rule) => rule.name) : [];
    expect(names.slice(0, 4)).toEqual(["vip", "closes", "two", "messages"]);
    expect(names).toContain("email");
  });

  it("validates once per env object", () => {
    const bindings = { ROUTING, OPS_URL: "https://hooks.slack.com/ops" };
    const first = loadRouting(fakeEnv(bindings));
    bindings.OPS_URL = "";
    expect(loadRouting(fakeEnv(bindings))).toBe(first);
    expect(first.ok).toBe(true);
  });

  it("gives another env object its own result", () => {
    expect(loadRouting(fakeEnv({ ROUTING, OPS_URL: "https://x" })).ok).toBe(true);
    expect(loadRouting(fakeEnv({ ROUTING: JSON.stringify(ROUTING), OPS_URL: "https://x" })).ok).toBe(true);
    expect(loadRouting(fakeEnv({}))).toEqual({ ok: false, error: ["ROUTING: is not set"] });
  });

  it.each<[string, unknown]>([
    ["missing", undefined],
    ["empty", ""],
    ["not a string", { url: "https://x" }],
  ])("counts a secret that is %s as not set", (_, value) => {
    expect(loadRouting(fakeEnv({ ROUTING, OPS_URL: value }))).toEqual({
      ok: false,
      error: ['destinations.ops.webhook_url_secret: secret "OPS_URL" is not set (wrangler secret put OPS_URL)'],
    });
  });
});
