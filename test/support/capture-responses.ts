// A setup file (vitest.config.ts `setupFiles`): records every answer the relay
// gives in this test file, and every well-formed signature sent to it, for the
// secrets check at the end of the run (leaks.ts, global-setup.ts). It wraps the
// Worker module's `fetch`, which both `exports.default.fetch` and tests calling
// the module directly go through, and hands the records to the fake receiver
// (in the Node process) when the file ends.
import { afterAll, expect } from "vitest";
import relay from "../../src/index.ts";
import type { Captured } from "./leaks.ts";
import { receiverBase } from "./worker.ts";

const SIGNATURE = /^sha256=[0-9a-f]{64}$/i;
const pending: Captured[] = [];
const source = (): string => expect.getState().testPath?.replace(/^.*?(?=test\/)/, "") ?? "a test file";

const original = relay.fetch;
const recording: typeof original = async (request, env, ctx) => {
  const signature = request.headers.get("x-hub-signature");
  if (signature !== null && SIGNATURE.test(signature))
    pending.push({ kind: "signature", source: source(), text: signature });
  const response = await original(request, env, ctx);
  const headers = [...response.headers].map(([k, v]) => `${k}: ${v}`).join("\n");
  const body = await response.clone().text();
  pending.push({ kind: "response", source: source(), text: `${response.status}\n${headers}\n\n${body}` });
  return response;
};
(relay as { fetch: typeof original }).fetch = recording;

afterAll(async () => {
  if (pending.length === 0) return;
  await fetch(`${receiverBase()}/__capture`, { method: "POST", body: JSON.stringify(pending.splice(0)) });
});
