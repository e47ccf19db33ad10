import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { configDefaults, defineConfig } from "vitest/config";
import { recordConsole } from "./test/support/node/capture.ts";
import { TEST_EMAIL_BINDINGS, testBindings } from "./test/support/test-env.ts";

export default defineConfig({
  test: {
    // The secrets check (test/support/leaks.ts): every log line of the run is kept (a root-only option).
    onConsoleLog: recordConsole,
    projects: [
      // The Worker's tests, inside workerd with local KV, Queues and Durable Objects.
      {
        plugins: [
          cloudflareTest(({ inject }) => ({
            wrangler: { configPath: "./wrangler.toml" },
            miniflare: { bindings: testBindings(inject("receiverPort")), email: { send_email: TEST_EMAIL_BINDINGS } },
          })),
        ],
        test: {
          name: "workers",
          globalSetup: ["./test/support/global-setup.ts"],
          // The secrets check (test/support/leaks.ts): every response and log line of the run is kept.
          setupFiles: ["./test/support/capture-responses.ts"],
          include: ["test/**/*.test.ts"],
          exclude: [...configDefaults.exclude, "test/cli/**", "test/browser/**"],
          testTimeout: 30_000,
        },
      },
      // Node-side tests: the CLIs through their real entry points, spawned (workerd cannot spawn processes).
      {
        test: {
          name: "node",
          include: ["test/cli/**/*.test.ts"],
          environment: "node",
          testTimeout: 30_000,
        },
      },
      // The operator console in headless Chromium against `wrangler dev` (test/browser/console.test.ts).
      {
        test: {
          name: "browser",
          include: ["test/browser/**/*.test.ts"],
          environment: "node",
          testTimeout: 60_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
