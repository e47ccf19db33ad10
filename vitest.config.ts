import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";
import { recordConsole } from "./test/support/node/capture.ts";
import { testBindings } from "./test/support/test-env.ts";

export default defineConfig({
  plugins: [
    cloudflareTest(({ inject }) => ({
      wrangler: { configPath: "./wrangler.toml" },
      miniflare: { bindings: testBindings(inject("receiverPort")) },
    })),
  ],
  test: {
    globalSetup: ["./test/support/global-setup.ts"],
    // The secrets check (test/support/leaks.ts): every response and log line of the run is kept.
    setupFiles: ["./test/support/capture-responses.ts"],
    onConsoleLog: recordConsole,
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
  },
});
