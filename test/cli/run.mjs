// Runs a CLI of this repo through its real entry point, as `npm run` would:
// a child process of the same Node (Node 24, which runs the TypeScript sources),
// from the repo root. Node-side only: the `node` vitest project. Also the few
// file and network helpers the CLI tests need (the tests type-check without
// @types/node, so Node APIs stay in here, typed by run.d.mts).
import { spawn, spawnSync } from "node:child_process";
import { createHmac } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const ROOT = resolve(import.meta.dirname, "../..");

/**
 * @example
 * routes("tree") // → { status: 0, stdout: "wrangler.toml [vars]: 3 rules…\n", stderr: "" }
 */
export function routes(...args) {
  return run("scripts/routes.mjs", args);
}

/** Like routes(), with `input` on standard input. */
export function routesWithInput(input, ...args) {
  return run("scripts/routes.mjs", args, input);
}

/**
 * `npm run check` with its arguments (tests pass `--only routing`: the code checks are the whole suite's job).
 *
 * @example
 * check("--only", "routing", "--config", "test/cli/fixtures/envs.toml") // → { status: 1, stdout: "…", stderr: "" }
 */
export function check(...args) {
  return run("scripts/check.mjs", args);
}

function run(script, args, input) {
  const r = spawnSync(process.execPath, [script, ...args], { cwd: ROOT, encoding: "utf8", input, timeout: 20_000 });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A repo file's text, e.g. README.md. */
export function repoFile(path) {
  return readFileSync(join(ROOT, path), "utf8");
}

const folders = [];

/** A new temporary folder holding `files` (name → text); returns its absolute path. */
export function tempFolder(files) {
  const dir = mkdtempSync(join(tmpdir(), "gitple-relay-cli-"));
  folders.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

/** Removes every folder tempFolder() made (call it in afterAll). */
export function removeTempFolders() {
  for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** The absolute path of a repo file. */
export function repoPath(path) {
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
export async function send(cwd, secret, ...args) {
  const requests = [];
  const server = createServer((req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      requests.push({ signature: req.headers["x-hub-signature"], body: Buffer.concat(chunks) });
      res.writeHead(202, { "content-type": "application/json" }).end('{"status":"accepted"}');
    });
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  try {
    const url = `http://127.0.0.1:${server.address().port}/events`;
    const child = spawn(process.execPath, [join(ROOT, "scripts/send.mjs"), ...args, "--url", url], { cwd });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c) => (stdout += c));
    child.stderr.on("data", (c) => (stderr += c));
    const status = await new Promise((r) => child.on("close", r));
    const signedWith = requests.length === 1 && requests[0].signature === hmac(secret, requests[0].body);
    return { status, stdout, stderr, requests: requests.length, signedWith };
  } finally {
    server.close();
  }
}

function hmac(secret, body) {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}
