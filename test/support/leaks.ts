// The secrets check of the test run: no secret, webhook URL or signature may
// appear in anything the relay said (response bodies and headers, log lines) or
// posted. Pure, so it runs in Node at the end of the run (global-setup.ts) and
// in workerd in its own test (test/unit/support/leaks.test.ts), which proves it
// can fail.
//
// Trade-off: every string binding of the test env counts as a secret except the
// few listed in NOT_SECRET, so a secret added later is covered without touching
// this file; a binding that is not secret must be listed here, or the run fails
// naming it.

import { DEMO_API_SECRET } from "../../scripts/lib/gitple-demo-data.ts";

/** Bindings that are not secrets: config and the fake receiver's base URL. */
export const NOT_SECRET: ReadonlySet<string> = new Set(["ROUTING", "TEST_RECEIVER"]);

/**
 * The line every test file of the workers project logs through the Worker's
 * logger (capture-responses.ts): records from the worker without a single log
 * line mean the log capture is broken, and the run fails rather than pass on nothing.
 */
export const PROBE_MESSAGE = "secrets check: log capture probe";

/** A value that must never be seen, and what to call it in a failure (never the value itself). */
export interface Needle {
  readonly name: string;
  readonly value: string;
  /** Compare case-insensitively (hex digests). */
  readonly anyCase?: boolean;
}

/** One thing the relay said or sent during the run. */
export interface Captured {
  readonly kind: "log" | "response" | "signature" | "posted";
  /** Test file, or where else it came from. */
  readonly source: string;
  readonly text: string;
}

export interface Leak {
  readonly needle: string;
  readonly kind: Captured["kind"];
  readonly source: string;
  /** The text around the leak, with the leaked value replaced by its name. */
  readonly excerpt: string;
}

const SIGNATURE = /^sha256=([0-9a-f]{64})$/i;

/**
 * The needles for a test env: every secret binding, each URL also without its
 * scheme and as its path (the secret part of a Slack webhook), and the digest of
 * every signature the tests sent.
 *
 * @example
 * secretNeedles({ GITPLE_SECRET: "s3cret", SLACK_URL: "https://hooks.example/T1/B2" }, ["sha256=ab…"])
 * // → [{ name: "GITPLE_SECRET", value: "s3cret" }, { name: "SLACK_URL", value: "https://hooks.example/T1/B2" },
 * //    { name: "SLACK_URL (without scheme)", … }, { name: "SLACK_URL (path)", value: "/T1/B2" }, { name: "a signature sent", … }]
 */
export function secretNeedles(bindings: Record<string, unknown>, signatures: readonly string[] = []): Needle[] {
  const needles: Needle[] = [];
  for (const [name, value] of Object.entries(bindings)) {
    if (NOT_SECRET.has(name) || typeof value !== "string" || value.length < 4) continue;
    needles.push({ name, value });
    const escaped = JSON.stringify(value).slice(1, -1);
    if (escaped !== value) needles.push({ name: `${name} (JSON-escaped)`, value: escaped });
    if (URL.canParse(value)) {
      const url = new URL(value);
      needles.push({ name: `${name} (without scheme)`, value: value.slice(url.protocol.length + 2) });
      const path = url.pathname + url.search;
      if (path.length > 1) needles.push({ name: `${name} (path)`, value: path });
    }
  }
  // The demo Open API secret (npm start, the CLI tests): not a binding of the test env, a secret all the same.
  needles.push({ name: "the demo Open API secret", value: DEMO_API_SECRET });
  for (const signature of new Set(signatures)) {
    const digest = SIGNATURE.exec(signature)?.[1];
    if (digest) needles.push({ name: "a signature sent", value: digest.toLowerCase(), anyCase: true });
  }
  return needles;
}

/**
 * Every place a needle occurs in the captured texts.
 *
 * @example
 * findLeaks([{ kind: "log", source: "a.test.ts", text: '{"msg":"x","url":"https://hooks.example/T1/B2"}' }], needles)
 * // → [{ needle: "SLACK_URL", kind: "log", source: "a.test.ts", excerpt: '{"msg":"x","url":"[SLACK_URL]"}' }, …]
 */
export function findLeaks(captured: readonly Captured[], needles: readonly Needle[]): Leak[] {
  // Longest first: a URL is reported once as a whole, not again as its path.
  const ordered = [...needles].sort((a, b) => b.value.length - a.value.length);
  const leaks: Leak[] = [];
  for (const item of captured) {
    const lower = item.text.toLowerCase();
    const reported: [number, number][] = [];
    for (const needle of ordered) {
      const at = needle.anyCase ? lower.indexOf(needle.value) : item.text.indexOf(needle.value);
      if (at === -1) continue;
      const end = at + needle.value.length;
      if (reported.some(([s, e]) => at >= s && end <= e)) continue;
      reported.push([at, end]);
      const around = item.text.slice(Math.max(0, at - 80), end + 80);
      leaks.push({
        needle: needle.name,
        kind: item.kind,
        source: item.source,
        excerpt: redact(around, ordered).replace(/\s+/g, " "),
      });
    }
  }
  return leaks;
}

/** A failure message naming each leak (by the secret's name, never its value). */
export function describeLeaks(leaks: readonly Leak[], checked: number): string {
  const lines = leaks.slice(0, 20).map((l) => `  - ${l.needle} in a ${l.kind} (${l.source}): ${l.excerpt}`);
  if (leaks.length > 20) lines.push(`  … and ${leaks.length - 20} more`);
  return `Secrets leaked: ${leaks.length} occurrence(s) of a secret, webhook URL or signature in the ${checked} responses, log lines and posts of this run:\n${lines.join("\n")}`;
}

/**
 * Why the run's captures cannot be trusted, if they cannot: the worker sent
 * records (responses, signatures) but not one log line, not even the probe
 * each file logs, so the console capture no longer sees the relay's logs.
 *
 * @example
 * captureProblem([{ kind: "response", source: "a.test.ts", text: "202…" }]) // → "The secrets check captured 1 records …"
 */
export function captureProblem(fromWorker: readonly Captured[]): string | undefined {
  if (fromWorker.length === 0 || fromWorker.some((c) => c.kind === "log")) return undefined;
  return `The secrets check captured ${fromWorker.length} records from the worker but no log line, not even the probe every test file logs ("${PROBE_MESSAGE}"): test/support/capture-responses.ts no longer sees the console, so the relay's logs went unchecked.`;
}

/** `text` with every needle (longest first) replaced by its name. */
function redact(text: string, ordered: readonly Needle[]): string {
  let out = text;
  for (const n of ordered) {
    const pattern = new RegExp(n.value.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"), n.anyCase ? "gi" : "g");
    out = out.replace(pattern, `[${n.name}]`);
  }
  return out;
}
