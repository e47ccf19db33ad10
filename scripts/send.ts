// npm run send -- <type | file.json> [--url URL] [--secret S] [--tags id,id] [--keep-id] [--wait]
// --wait: sends a session_state_open and no follow-up, so a timer on it fires (docs/time.md).
// A sample type's times (ctime, the session's openTime, inprogressTime, closeTime) are moved so
// that its latest is now, keeping the gaps between them, so digests count it today; a file keeps its own.
// Signs a sample Gitple event the way Gitple does (X-Hub-Signature: sha256=HMAC
// of the body) and posts it to the running relay, printing the answer. The
// secret: --secret, else GITPLE_SECRET from .dev.vars (in the current folder),
// else the demo secret `npm start` uses.
import { createHmac, randomUUID } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs, parseEnv } from "node:util";
import { DEMO_SECRET } from "./lib/demo.ts";

const TYPES = ["session_state_open", "session_state_inprogress", "session_state_close", "send_external_message"];
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    url: { type: "string", default: "http://127.0.0.1:8787/events" },
    secret: { type: "string" },
    tags: { type: "string" },
    "keep-id": { type: "boolean", default: false },
    wait: { type: "boolean", default: false },
  },
});
const what = positionals[0] ?? (values.wait ? "session_state_open" : "session_state_close");
const file = TYPES.includes(what)
  ? resolve(import.meta.dirname, "../test/fixtures/events", `${what}.json`)
  : resolve(what);
if (!existsSync(file)) {
  console.error(`No such event type or file: ${what}\nTypes: ${TYPES.join(", ")}`);
  process.exit(2);
}
const event = JSON.parse(readFileSync(file, "utf8"));
if (!values["keep-id"]) event.triggerId = `demo-${randomUUID()}`;
// A new session each time, so a timer on it is set again (a timer is set once per session).
if (values.wait && event.session) event.session.id = randomUUID().replace(/-/g, "").slice(0, 24); // 24 hex digits, as a Gitple id
// Now, so a timer's wait counts from now (it counts from the session's openTime) and digests count it today.
if (TYPES.includes(what)) shiftToNow(event);
if (values.tags) {
  const tags = values.tags.split(",").filter(Boolean);
  if (event.session) event.session.tags = tags;
  else if (event.to) event.to.tags = tags;
}
const secret = values.secret ?? devVarsSecret() ?? DEMO_SECRET;
const body = JSON.stringify(event);
const signature = `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;

try {
  const res = await fetch(values.url, {
    method: "POST",
    headers: { "content-type": "application/json", "x-hub-signature": signature },
    body,
  });
  console.log(`${event.type} ${event.triggerId} → HTTP ${res.status} ${await res.text()}`);
  if (values.wait && res.ok) {
    console.log(
      `No follow-up sent for session ${event.session?.id}: its timers fire when due (npm start's demo: 30s).`,
    );
  }
  process.exit(res.ok ? 0 : 1);
} catch (e) {
  const error = e as Error & { cause?: { code?: string } };
  console.error(
    `Could not reach ${values.url} (${error.cause?.code ?? error.message}). Is the relay running? Try: npm start`,
  );
  process.exit(1);
}

/**
 * GITPLE_SECRET from .dev.vars, read as dotenv like wrangler reads it (spaces
 * around `=`, single or double quotes, CRLF, comments, `export`); an empty
 * value counts as unset, as the relay counts it.
 */
function devVarsSecret() {
  if (!existsSync(".dev.vars")) return undefined;
  return parseEnv(readFileSync(".dev.vars", "utf8")).GITPLE_SECRET || undefined;
}

/** Moves the event's times by one offset so that the latest of them is now. */
function shiftToNow(e: { ctime?: string; session?: Record<string, unknown> }): void {
  const fields: [Record<string, unknown>, string][] = [[e, "ctime"]];
  if (e.session) for (const key of ["openTime", "inprogressTime", "closeTime"]) fields.push([e.session, key]);
  const times = fields.map(([o, k]) => (typeof o[k] === "string" ? Date.parse(o[k] as string) : Number.NaN));
  const latest = Math.max(...times.filter((t) => !Number.isNaN(t)));
  if (!Number.isFinite(latest)) return;
  const offset = Date.now() - latest;
  fields.forEach(([o, k], i) => {
    const t = times[i] ?? Number.NaN;
    if (!Number.isNaN(t)) o[k] = new Date(t + offset).toISOString();
  });
}
