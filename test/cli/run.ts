// Runs a CLI of this repo through its real entry point, as `npm run` would:
// a child process of the same Node (Node 24, which runs the TypeScript sources),
// from the repo root. Node-side only: the `node` vitest project. Also the few
// file and network helpers the CLI tests need.
import { spawn, spawnSync } from "node:child_process";
import { createHmac } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const ROOT = resolve(import.meta.dirname, "../..");

/** A finished CLI run: its exit status (null when killed) and its output. */
export interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface SendRun extends Run {
  /** How many requests reached the local receiver. */
  readonly requests: number;
  /** Whether the one request's X-Hub-Signature is the HMAC of its body with the given secret. */
  readonly signedWith: boolean;
  /** The one request's event, parsed. */
  readonly body: Record<string, unknown> | undefined;
}

/**
 * @example
 * routes("tree") // → { status: 0, stdout: "wrangler.toml [vars]: 3 rules…\n", stderr: "" }
 */
export function routes(...args: string[]): Run {
  return run("scripts/routes.ts", args);
}

/** Like routes(), with `input` on standard input. */
export function routesWithInput(input: string, ...args: string[]): Run {
  return run("scripts/routes.ts", args, input);
}

/**
 * `npm run check` with its arguments (tests pass `--only routing`: the code checks are the whole suite's job).
 *
 * @example
 * check("--only", "routing", "--config", "test/cli/fixtures/envs.toml") // → { status: 1, stdout: "…", stderr: "" }
 */
export function check(...args: string[]): Run {
  return run("scripts/check.ts", args);
}

function run(script: string, args: string[], input?: string): Run {
  const r = spawnSync(process.execPath, [script, ...args], { cwd: ROOT, encoding: "utf8", input, timeout: 20_000 });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A repo file's text, e.g. README.md. */
export function repoFile(path: string): string {
  return readFileSync(join(ROOT, path), "utf8");
}

const folders: string[] = [];

/** A new temporary folder holding `files` (name → text); returns its absolute path. */
export function tempFolder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "gitple-relay-cli-"));
  folders.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

/** Removes every folder tempFolder() made (call it in afterAll). */
export function removeTempFolders(): void {
  for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** The absolute path of a repo file. */
export function repoPath(path: string): string {
  return join(ROOT, path);
}

/**
 * `npm run send -- <args> --url <a local receiver>` run in `cwd` (where it
 * looks for .dev.vars): resolves to its exit, its output, and whether the
 * request it made carries a valid signature for `secret`.
 *
 * @example
 * await send(dir, "demo-secret", "session_state_close") // → { status: 0, stdout: "…", stderr: "", signedWith: true }
 */
export async function send(cwd: string, secret: string, ...args: string[]): Promise<SendRun> {
  const requests: { signature: string | string[] | undefined; body: Buffer }[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      requests.push({ signature: req.headers["x-hub-signature"], body: Buffer.concat(chunks) });
      res.writeHead(202, { "content-type": "application/json" }).end('{"status":"accepted"}');
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  try {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/events`;
    const child = spawn(process.execPath, [join(ROOT, "scripts/send.ts"), ...args, "--url", url], { cwd });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c) => (stdout += c));
    child.stderr.on("data", (c) => (stderr += c));
    const status = await new Promise<number | null>((r) => child.on("close", r));
    const [only] = requests;
    const signedWith = requests.length === 1 && only !== undefined && only.signature === hmac(secret, only.body);
    const body = only === undefined ? undefined : (JSON.parse(only.body.toString()) as Record<string, unknown>);
    return { status, stdout, stderr, requests: requests.length, signedWith, body };
  } finally {
    server.close();
  }
}

function hmac(secret: string, body: Buffer): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}
