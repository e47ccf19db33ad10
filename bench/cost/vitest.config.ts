// The cost bench's own vitest project (bench/cost.ts runs it): the relay
// inside workerd with local KV, Queues and Durable Objects, as the test suite
// runs it, but with bench/cost/workerd/worker.ts as `main`, which wraps every
// billed binding with counting proxies. Not part of `npm test`.
import { cloudflareTest } from "@cloudflare/vitest-plugin";
import type { Json } from "miniflare";
import { defineConfig } from "vitest/config";
import { TEST_EMAIL_BINDINGS, testBindings } from "../../test/support/test-env.ts";

export default defineConfig({
  test: {
    projects: [
      {
        plugins: [
          cloudflareTest(({ inject }) => ({
            main: "./bench/cost/workerd/worker.ts",
            wrangler: { configPath: "./wrangler.toml" },
            miniflare: {
              bindings: testBindings(inject("receiverPort")) as unknown as Record<string, Json>,
              email: { send_email: TEST_EMAIL_BINDINGS },
            },
          })),
        ],
        test: {
          name: "cost",
          globalSetup: ["./bench/cost/global-setup.ts"],
          include: ["bench/cost/workerd/*.test.ts"],
          testTimeout: 120_000,
        },
      },
    ],
  },
});
