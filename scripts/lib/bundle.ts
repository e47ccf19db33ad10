// The Worker's bundle size, as `wrangler deploy` would upload it, and its budget: checked by
// `npm run check` (so CI fails when a change grows it past the budget) and printed by `npm run bench`.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** The gzipped bundle's budget, with the operator console (issue 12; 48 KiB before it). */
export const BUNDLE_BUDGET_GZIP_KIB = 64;

const QUIET = { WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false", WRANGLER_HIDE_BANNER: "true" };

/** The Worker's bundle as `wrangler deploy` would upload it: minified and gzipped sizes in KiB. */
export async function bundleSize(): Promise<{ minifiedKiB: number; gzipKiB: number }> {
  const outdir = mkdtempSync(join(tmpdir(), "gitple-relay-dry-"));
  try {
    const output = await new Promise<string>((resolve, reject) => {
      const child = spawn("npx", ["wrangler", "deploy", "--dry-run", "--outdir", outdir], {
        stdio: ["ignore", "pipe", "pipe"],
        env: { ...process.env, ...QUIET },
      });
      let text = "";
      child.stdout.on("data", (c) => (text += c));
      child.stderr.on("data", (c) => (text += c));
      child.on("error", reject);
      child.on("exit", (code) =>
        code === 0 ? resolve(text) : reject(new Error(`wrangler deploy --dry-run failed:\n${text}`)),
      );
    });
    // "Total Upload: 66.84 KiB / gzip: 20.12 KiB"
    const m = /Total Upload: ([\d.]+) KiB \/ gzip: ([\d.]+) KiB/.exec(output);
    if (!m) throw new Error(`no "gzip:" line in wrangler's output:\n${output}`);
    return { minifiedKiB: Number(m[1]), gzipKiB: Number(m[2]) };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
