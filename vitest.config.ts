import { cloudflareTest } from "@cloudflare/vitest-plugin";
import type { Json } from "miniflare";
import { configDefaults, defineConfig } from "vitest/config";
import { recordConsole } from "./test/support/node/capture.ts";
import { TEST_EMAIL_BINDINGS, testBindings } from "./test/support/test-env.ts";

export default defineConfig({
  test: {
    // The secrets check (test/support/leaks.ts) also keeps the log lines the console-printing reporters see (a
    // root-only option; a JSON-only run calls it for none): lines logged outside a test file's lifetime.
    onConsoleLog: recordConsole,
    projects: [
      // The Worker's tests, inside workerd with local KV, Queues and Durable Objects.
      {
        plugins: [
          cloudflareTest(({ inject }) => ({
            wrangler: { configPath: "./wrangler.toml" },
            miniflare: {
              // JSON all through; TypeScript infers the rules' union with `?: undefined` members, which Json does not admit.
              bindings: testBindings(inject("receiverPort")) as unknown as Record<string, Json>,
              email: { send_email: TEST_EMAIL_BINDINGS },
            },
          })),
        ],
        test: {
          name: "workers",
          globalSetup: ["./test/support/global-setup.ts", "./test/support/gitple-global-setup.ts"],
          // The secrets check (test/support/leaks.ts): every response and log line of the run is kept, in the worker.
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
