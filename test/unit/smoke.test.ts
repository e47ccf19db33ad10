import { env } from "cloudflare:workers";
import { expect, it } from "vitest";
it("has bindings", async () => {
  expect(typeof (env as unknown as Record<string, unknown>).TEST_RECEIVER).toBe("string");
  const r = await fetch(`${(env as unknown as Record<string, string>).TEST_RECEIVER}/hook/x`, { method: "POST", body: "m-1" });
  expect(r.status).toBe(200);
});
