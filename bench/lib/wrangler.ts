// Running wrangler for the benchmark: `wrangler dev` (the Worker in the local
// runtime, with local KV, Queues and Durable Objects) started in its own process
// group so that it, npx and workerd can all be stopped together; and
// `wrangler deploy --dry-run` for the bundle size.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { onInterrupt } from "./cleanup.ts";
import { freePort } from "./measure.ts";

export { BUNDLE_BUDGET_GZIP_KIB, bundleSize } from "../../scripts/lib/bundle.ts";

const QUIET = { WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false", WRANGLER_HIDE_BANNER: "true" };

/**
 * Starts `wrangler dev` on a free port of 127.0.0.1 with `vars` (name → value,
 * objects as JSON) and a throwaway state directory; resolves once GET /health
 * answers. `stop()` ends the whole process group and removes the state.
 */
/** A running `wrangler dev`: its base URL, and how to stop it. */
export interface WranglerDev {
  readonly base: string;
  readonly stop: () => Promise<void>;
}

export async function startWranglerDev(
  vars: Record<string, unknown>,
  { timeoutMs = 90_000 }: { timeoutMs?: number } = {},
): Promise<WranglerDev> {
  const port = await freePort();
  const inspectorPort = await freePort();
  const state = mkdtempSync(join(tmpdir(), "gitple-relay-bench-"));
  const args = ["wrangler", "dev", "--ip", "127.0.0.1", "--port", String(port)];
  args.push("--inspector-port", String(inspectorPort), "--persist-to", state);
  args.push("--log-level", "error", "--show-interactive-dev-session=false");
  for (const [name, value] of Object.entries(vars)) {
    args.push("--var", `${name}:${typeof value === "string" ? value : JSON.stringify(value)}`);
  }
  const child = spawn("npx", args, {
    detached: true, // its own process group: npx, wrangler and workerd stop together
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, ...QUIET },
  });
  let output = "";
  const keep = (chunk: Buffer) => {
    output = (output + chunk).slice(-4000);
  };
  child.stdout.on("data", keep);
  child.stderr.on("data", keep);
  let exited = false;
  const exitedPromise = new Promise<void>((resolve) =>
    child.on("exit", () => {
      exited = true;
      resolve();
    }),
  );

  // Detached, so its pid is its process group's id: a negative pid signals the whole group.
  const group = -(child.pid as number);
  const stop = async () => {
    forget();
    if (!exited) {
      try {
        process.kill(group, "SIGTERM");
      } catch {}
      const killer = setTimeout(() => {
        try {
          process.kill(group, "SIGKILL");
        } catch {}
      }, 5000);
      await exitedPromise;
      clearTimeout(killer);
    }
    rmSync(state, { recursive: true, force: true });
  };
  const forget = onInterrupt(stop);

  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exited) {
      await stop();
      throw new Error(`wrangler dev exited before it was ready:\n${output}`);
    }
    try {
      const health = (await (await fetch(`${base}/health`)).json()) as { config?: { valid?: boolean } };
      if (health.config?.valid !== true) throw new Error(`the relay's config is invalid: ${JSON.stringify(health)}`);
      return { base, stop };
    } catch (e) {
      if (e instanceof Error && e.message.startsWith("the relay's config")) {
        await stop();
        throw e;
      }
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`wrangler dev was not ready after ${timeoutMs / 1000}s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}
