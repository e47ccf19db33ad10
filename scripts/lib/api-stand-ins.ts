// The answers of the receivers that say more than "ok" (scripts/lib/receiver.ts serves them):
// - the Slack Web API under /slack/api/: chat.postMessage (a new message or, with thread_ts, a reply;
//   it answers the channel and ts), chat.update (message_not_found for a ts it never gave); the bearer
//   token is checked when one is configured (not_authed without one, invalid_auth for another);
// - Discord webhooks: POST ?wait=true answers the message with its id; PATCH …/messages/{id} edits
//   it (404 Unknown Message for an id it never gave);
// - Google Chat webhooks: POST ?messageReplyOption=… answers the message with its thread's name,
//   one thread per thread.threadKey.
// Each answer may carry a note (what happened to which message) that `npm start` prints.
import { createHash } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";

export interface StandInAnswer {
  status: number;
  body: string;
  headers: Record<string, string>;
  /** What happened, for a person watching `npm start`. */
  note?: string;
}

interface Message {
  channel: string;
  ts: string;
  thread_ts?: string;
  text: string;
}

/** The Slack, Discord and Google Chat state of one receiver. */
export class ApiStandIns {
  private seq = 0;
  private readonly slack = new Map<string, Message>();
  private readonly discord = new Set<string>();

  private readonly slackToken: string | undefined;

  constructor(slackToken?: string) {
    this.slackToken = slackToken;
  }

  /** The answer for a request these stand-ins serve, or undefined for the plain receiver's "ok". */
  answer(method: string, url: URL, headers: IncomingHttpHeaders, body: string): StandInAnswer | undefined {
    if (url.pathname.startsWith("/slack/api/")) return this.slackApi(url.pathname.slice(11), headers, body);
    if (method === "POST" && url.searchParams.get("wait") === "true") {
      const id = String(1_000_000_000_000 + ++this.seq);
      this.discord.add(id);
      return json(200, { id, ...parse(body) }, `new Discord message ${id}`);
    }
    const edit = /\/messages\/([^/]+)$/.exec(url.pathname);
    if (method === "PATCH" && edit?.[1]) {
      if (!this.discord.has(edit[1])) return json(404, { message: "Unknown Message", code: 10008 });
      return json(200, { id: edit[1], ...parse(body) }, `Discord message ${edit[1]} changed (replaces what it showed)`);
    }
    if (method === "POST" && url.searchParams.has("messageReplyOption")) {
      const key = String((parse(body).thread as { threadKey?: unknown } | undefined)?.threadKey ?? `t${++this.seq}`);
      const thread = `spaces/STAND-IN/threads/${createHash("sha256").update(key).digest("hex").slice(0, 12)}`;
      const name = `spaces/STAND-IN/messages/m${++this.seq}`;
      return json(200, { name, thread: { name: thread } }, `Google Chat message in thread ${thread}`);
    }
    return undefined;
  }

  private slackApi(method: string, headers: IncomingHttpHeaders, body: string): StandInAnswer {
    const auth = headers.authorization;
    if (this.slackToken !== undefined) {
      if (!auth) return json(200, { ok: false, error: "not_authed" });
      if (auth !== `Bearer ${this.slackToken}`) return json(200, { ok: false, error: "invalid_auth" });
    }
    const args = parse(body);
    const channel = typeof args.channel === "string" ? args.channel : "";
    const text = typeof args.text === "string" ? args.text : "";
    if (!channel) return json(200, { ok: false, error: "channel_not_found" });
    if (method === "chat.postMessage") {
      const ts = `${Math.floor(Date.now() / 1000)}.${String(++this.seq).padStart(6, "0")}`;
      const thread = typeof args.thread_ts === "string" ? args.thread_ts : undefined;
      this.slack.set(`${channel}/${ts}`, { channel, ts, text, ...(thread ? { thread_ts: thread } : {}) });
      const note = thread
        ? `reply ${ts} in the thread of message ${thread} in ${channel}`
        : `new message ${ts} in ${channel}`;
      return json(
        200,
        { ok: true, channel, ts, message: { text, ts, ...(thread ? { thread_ts: thread } : {}) } },
        note,
      );
    }
    if (method === "chat.update") {
      const ts = typeof args.ts === "string" ? args.ts : "";
      const message = this.slack.get(`${channel}/${ts}`);
      if (!message) return json(200, { ok: false, error: "message_not_found" });
      message.text = text;
      return json(
        200,
        { ok: true, channel, ts, text },
        `message ${ts} in ${channel} changed (replaces what it showed)`,
      );
    }
    return json(200, { ok: false, error: "unknown_method" });
  }
}

function json(status: number, value: unknown, note?: string): StandInAnswer {
  return {
    status,
    body: JSON.stringify(value),
    headers: { "content-type": "application/json; charset=utf-8" },
    ...(note ? { note } : {}),
  };
}

function parse(body: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(body);
    return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
