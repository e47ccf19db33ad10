// A setup file (vitest.config.ts `setupFiles`): records every answer the relay
// gives in this test file, every well-formed signature sent to it, and every
// console line written in the worker (the relay's logs: src/log/log.ts writes
// to the console), for the secrets check at the end of the run (leaks.ts,
// global-setup.ts). It wraps the Worker module's `fetch`, which both
// `exports.default.fetch` and tests calling the module directly go through, and
// the isolate's console methods, and hands the records to the fake receiver (in
// the Node process) when the file ends.
//
// The log lines are taken here, inside the worker, rather than from vitest's
// reporter hook (`onConsoleLog`, which only the console-printing reporters call:
// with only a JSON reporter it would see nothing). Each file also logs one probe
// line through the Worker's own logger (kept, not printed), so a capture that
// stops seeing the console fails the run loudly instead of passing on nothing.
import { afterAll, expect } from "vitest";
import relay from "../../src/index.ts";
import { log } from "../../src/log/log.ts";
import { type Captured, PROBE_MESSAGE } from "./leaks.ts";
import { receiverBase } from "./worker.ts";

const SIGNATURE = /^sha256=[0-9a-f]{64}$/i;
const LEVELS = ["log", "info", "warn", "error", "debug"] as const;
const source = (): string => expect.getState().testPath?.replace(/^.*?(?=test\/)/, "") ?? "a test file";

/**
 * One store per isolate: the console is the isolate's, so it is wrapped once
 * however many files set up in it, and each file sends what it recorded.
 */
interface Store {
  pending: Captured[];
  consoleWrapped: boolean;
}
const key = Symbol.for("gitple-relay.test-capture");
const shared = globalThis as { [key]?: Store };
shared[key] ??= { pending: [], consoleWrapped: false };
const store: Store = shared[key];

/** A console argument as the console would print it, near enough to search for secrets. */
function logText(value: unknown): string {
  if (typeof value === "string") return value;
  if (value instanceof Error) return value.stack ?? `${value.name}: ${value.message}`;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

if (!store.consoleWrapped) {
  store.consoleWrapped = true;
  for (const level of LEVELS) {
    const original = console[level].bind(console);
    console[level] = (...args: unknown[]) => {
      const text = args.map(logText).join(" ");
      store.pending.push({ kind: "log", source: source(), text });
      if (!text.includes(PROBE_MESSAGE)) original(...args);
    };
  }
}
log("info", PROBE_MESSAGE);

const original = relay.fetch;
const recording: typeof original = async (request, env, ctx) => {
  const signature = request.headers.get("x-hub-signature");
  if (signature !== null && SIGNATURE.test(signature))
    store.pending.push({ kind: "signature", source: source(), text: signature });
  const response = await original(request, env, ctx);
  const headers = [...response.headers].map(([k, v]) => `${k}: ${v}`).join("\n");
  const body = await response.clone().text();
  store.pending.push({ kind: "response", source: source(), text: `${response.status}\n${headers}\n\n${body}` });
  return response;
};
(relay as { fetch: typeof original }).fetch = recording;

afterAll(async () => {
  if (store.pending.length === 0) return;
  await fetch(`${receiverBase()}/__capture`, { method: "POST", body: JSON.stringify(store.pending.splice(0)) });
});
