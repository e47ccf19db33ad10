// Node side of the secrets check: every console line vitest's onConsoleLog sees
// is appended to a file, and at the end of the run global-setup.ts checks it,
// with the log lines, responses and signatures the test files captured in the
// worker and sent to the fake receiver, against every secret of the test env.
// A second source only: vitest calls onConsoleLog from its console-printing
// reporters, so a run with only a JSON reporter writes nothing here; the lines
// captured in the worker (capture-responses.ts) do not depend on the reporters.
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import type { Captured } from "../leaks.ts";

const VAR = "GITPLE_RELAY_CAPTURE_FILE";

/** Starts a fresh capture file for this run; returns its path and how to remove it. */
export function startCapture(): { file: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), "gitple-relay-capture-"));
  const file = join(dir, "console.jsonl");
  process.env[VAR] = file;
  return { file, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** vitest's onConsoleLog: keeps the line (and lets vitest print it as usual). */
export function recordConsole(
  log: string,
  type: "stdout" | "stderr",
  entity?: { moduleId?: string; module?: { moduleId?: string } },
): void {
  const file = process.env[VAR];
  if (!file) return;
  const moduleId = entity?.moduleId ?? entity?.module?.moduleId;
  const source = moduleId ? relative(process.cwd(), moduleId) : type;
  const line: Captured = { kind: "log", source, text: log };
  appendFileSync(file, `${JSON.stringify(line)}\n`);
}

/** Every console line captured so far. */
export function capturedLogs(file: string): Captured[] {
  let text = "";
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return [];
  }
  return text
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => JSON.parse(l) as Captured);
}
