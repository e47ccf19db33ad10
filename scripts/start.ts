// npm start: the relay under `wrangler dev` (local KV, Queues and Durable
// Objects) on http://127.0.0.1:8787, plus a local stand-in for Slack and the
// other receivers that prints every message it gets.
//
// Without a .dev.vars file it runs the demo: GITPLE_SECRET is "demo-secret" and
// every secret the routing config names points at the stand-in. With a
// .dev.vars file, wrangler reads your own values from it instead.
//
// It also runs a stand-in for Gitple's Open API (scripts/lib/gitple-stand-in.ts) with demo data
// matching the sample events: in demo mode the Worker gets its secret (GITPLE_API_SECRET) and, when
// the routing config has a [vars.ROUTING.gitple] table, its api_url points at the stand-in.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import {
  DEMO_ADMIN_TOKEN,
  DEMO_SECRET,
  DEMO_SLACK_BOT_TOKEN,
  GITPLE_STAND_IN_PORT,
  RELAY_PORT,
  STAND_IN_PORT,
} from "./lib/demo.ts";
import { DEMO_API_SECRET, DEMO_APP_CODE, DEMO_IDS } from "./lib/gitple-demo-data.ts";
import { startGitpleStandIn } from "./lib/gitple-stand-in.ts";

import { type ReceivedRequest, startFakeReceiver } from "./lib/receiver.ts";
import { checkRouting, readRouting, secretNames } from "./lib/wrangler-config.ts";

/** The session tag 진행 추적 of the demo data: sessions with it are followed in the Slack app destinations. */
const FOLLOW = DEMO_IDS.sessionTags.follow;

/** The appCode of the sample events `npm run send` posts. */
const SAMPLE_APP_CODE = "acme-shop";

/** The destination the demo's timer notifies: its messages are in Korean, as support leads read them. */
const KOREAN_DESTINATION = "ops";

const args = ["wrangler", "dev", "--ip", "127.0.0.1", "--port", String(RELAY_PORT)];
const demo = !existsSync(".dev.vars");
if (demo) {
  const found = readRouting();
  const result = checkRouting(found); // what the Worker would refuse, send_email bindings included
  if (!result.ok) {
    console.error(
      `The routing config in ${found.source} is invalid:\n${result.error.map((p) => `  - ${p}`).join("\n")}`,
    );
    process.exit(1);
  }
  // Slack apps post through the stand-in's Web API, with a demo bot token it checks.
  const appTokens = new Set<string>();
  const appNames: string[] = [];
  for (const [name, d] of Object.entries(result.value.destinations)) {
    if (d.type === "slack" && d.bot_token_secret !== undefined) {
      appTokens.add(d.bot_token_secret);
      appNames.push(name);
    }
  }
  for (const name of secretNames(result.value)) {
    args.push(
      "--var",
      appTokens.has(name) ? `${name}:${DEMO_SLACK_BOT_TOKEN}` : `${name}:http://127.0.0.1:${STAND_IN_PORT}/${name}`,
    );
  }
  args.push("--var", `GITPLE_SECRET:${DEMO_SECRET}`);
  args.push("--var", `ADMIN_TOKEN:${DEMO_ADMIN_TOKEN}`);
  args.push("--var", `GITPLE_API_SECRET:${DEMO_API_SECRET}`);
  // One ROUTING override (wrangler keeps one value per name), made from the config as written.
  const routing = demoRouting(found.routing, appNames);
  if (routing !== undefined) args.push("--var", `ROUTING:${JSON.stringify(routing)}`);
}

/**
 * The demo's routing config, or undefined when nothing needs overriding: [vars.ROUTING.gitple]
 * api_url at the local Open API stand-in; `language = "ko"` on `ops` (the timer's destination) unless it
 * sets one; each Slack app destination's api_url at the stand-in's Web API, and a rule that follows
 * sessions tagged 진행 추적 (its id, as events carry it) in them (one session, one message).
 */
function demoRouting(routing: unknown, apps: readonly string[]): Record<string, unknown> | undefined {
  if (typeof routing !== "object" || routing === null) return undefined;
  const table: Record<string, unknown> = { ...(routing as Record<string, unknown>) };
  const gitple = table.gitple;
  const hasGitple = typeof gitple === "object" && gitple !== null;
  const destinations = { ...(table.destinations as Record<string, Record<string, unknown>>) };
  const korean = destinations[KOREAN_DESTINATION];
  if (!hasGitple && apps.length === 0 && korean === undefined) return undefined;
  if (hasGitple) table.gitple = { ...gitple, api_url: `http://127.0.0.1:${GITPLE_STAND_IN_PORT}/v1` };
  if (korean !== undefined) destinations[KOREAN_DESTINATION] = { language: "ko", ...korean };
  table.destinations = destinations;
  if (apps.length > 0) {
    for (const name of apps) {
      destinations[name] = { api_url: `http://127.0.0.1:${STAND_IN_PORT}/slack/api`, ...destinations[name] };
    }
    const follow = {
      name: "followed sessions (npm start's demo)",
      events: ["session_state_open", "session_state_inprogress", "session_state_close"],
      tags: { any: [FOLLOW] },
      destinations: [...apps],
    };
    table.rules = [...(Array.isArray(table.rules) ? table.rules : []), follow];
  }
  return table;
}

const receiver = await startFakeReceiver({
  port: STAND_IN_PORT,
  onRequest: show,
  ...(demo ? { slackToken: DEMO_SLACK_BOT_TOKEN } : {}),
});
console.log(`Local stand-in for Slack & co. listening on http://127.0.0.1:${receiver.port}`);
const openApi = await startGitpleStandIn({ port: GITPLE_STAND_IN_PORT });
// `npm run send`'s sample events (test/fixtures/events) come from the workspace "acme-shop".
openApi.addWorkspace(SAMPLE_APP_CODE);
console.log(
  `Local stand-in for Gitple's Open API (demo names, a transcript) on ${openApi.url}` +
    (demo ? ` (app-codes ${DEMO_APP_CODE} and ${SAMPLE_APP_CODE}, GITPLE_API_SECRET="${DEMO_API_SECRET}")` : ""),
);
console.log(
  demo
    ? `Demo mode (no .dev.vars): GITPLE_SECRET="${DEMO_SECRET}"; every destination posts to the stand-in.`
    : "Using your .dev.vars for secrets.",
);
if (demo) console.log(`Admin API (docs/operations.md): Authorization: Bearer ${DEMO_ADMIN_TOKEN}`);
if (demo) {
  console.log(
    `The "daily" digest (docs/time.md), sent now: curl -X POST -H "Authorization: Bearer ${DEMO_ADMIN_TOKEN}" http://127.0.0.1:8787/admin/digests/daily/send`,
  );
}
console.log(`Once the relay is up, in another terminal:  npm run send -- session_state_close`);
console.log("A customer left waiting (a 30 s timer notifies ops, in Korean): npm run send -- --wait");
console.log(
  `One session, one message (the Slack app in update mode): npm run send -- session_state_open --tags ${FOLLOW}, then session_state_inprogress and session_state_close with --tags ${FOLLOW}\n`,
);

const child = spawn("npx", args, {
  stdio: "inherit",
  env: {
    ...process.env,
    WRANGLER_SEND_METRICS: "false",
    CLOUDFLARE_CF_FETCH_ENABLED: "false",
    WRANGLER_HIDE_BANNER: "true",
  },
});
const stop = () => child.kill("SIGINT");
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
child.on("exit", async (code) => {
  await receiver.close();
  await openApi.close();
  process.exit(code ?? 0);
});

function show(record: ReceivedRequest): void {
  let lines = [record.body.slice(0, 500)];
  try {
    const json = JSON.parse(record.body);
    lines = Array.isArray(json.blocks)
      ? slackLines(json.blocks)
      : [String(json.text ?? json.content ?? json.subject ?? lines[0])];
  } catch {}
  // The Web API stand-ins say what happened to which message (a new one, or one changed in place).
  const note = record.note ? `\n  (${record.note})` : "";
  console.log(
    `\n[stand-in] ← ${record.method ?? "POST"} ${record.path}${note}\n${lines.map((l) => `  ${l}`).join("\n")}`,
  );
}

/** The parts of a Slack Block Kit block the stand-in shows (what src/destinations/slack/format.ts builds). */
type SlackBlock =
  | { type: "header"; text: { text: string } }
  | { type: "section"; text?: { text: string }; fields?: { text: string }[] }
  | { type: "actions"; elements: { text: { text: string }; url: string }[] }
  | { type: "image"; image_url: string; alt_text: string }
  | { type: "context"; elements: { text: string }[] };

/** A Slack Block Kit message as a terminal would show it: header, fields, sections, footer. */
function slackLines(blocks: SlackBlock[]): string[] {
  const lines: string[] = [];
  const mrkdwn = (text: string) =>
    text
      .replace(/\*([^*\n]+)\*\n/g, "$1: ")
      .replace(/&lt;/g, "<")
      .replace(/&gt;/g, ">")
      .replace(/&amp;/g, "&");
  for (const block of blocks) {
    if (block.type === "header") lines.push(`# ${block.text.text}`);
    else if (block.type === "section" && block.fields) for (const f of block.fields) lines.push(mrkdwn(f.text));
    else if (block.type === "section" && block.text) lines.push(...mrkdwn(block.text.text).split("\n"));
    else if (block.type === "actions") for (const e of block.elements) lines.push(`[${e.text.text}] ${e.url}`);
    else if (block.type === "image") lines.push(`[image: ${block.alt_text}] ${block.image_url}`);
    else if (block.type === "context") for (const e of block.elements) lines.push(`— ${mrkdwn(e.text)}`);
  }
  return lines;
}
