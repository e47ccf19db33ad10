// A local stand-in for third-party receivers (Slack, Discord, Resend, webhooks…),
// run in Node by vitest's globalSetup and by the benchmark. Plain HTTP on 127.0.0.1.
//
// Any POST outside /__ is recorded and answered 200 "ok", unless a script says
// otherwise. Scripts are keyed by a marker (a string the request body contains,
// e.g. a unique triggerId), so test files running in parallel never share one.
//
//   POST /__script   {"match":"t-123","responses":[{"status":500},{"status":200}]}
//        a response may also set "headers", "body", "delayMs", "hang": true (never
//        answers), "reset": true (destroys the connection), or "forMs": 3000 (it
//        answers every request for 3 s from its first use, e.g. "500 for a while")
//   GET  /__received?match=t-123   → [{path, headers, body, at}] whose body contains it
//   GET  /__mail?match=t-123       → [{path, raw}]: the .eml files a local send_email binding
//        wrote (miniflare: <tmpdir>/miniflare-*/email/email/*.eml) whose text contains it
//   GET  /__attempts?match=t-123   → every request whose body contains it, answered or
//        not, with {path, at, answer: status | "hang" | "reset"}
//   POST /__capture  [{kind, source, text}, …]  kept in `captured` for the test run's
//        secrets check (responses the relay gave, signatures the tests sent)
// Unscripted, the Slack Web API (/slack/api/chat.postMessage, chat.update), Discord's
// ?wait=true and message edits, and Google Chat's threaded posts answer as the real ones
// do (api-stand-ins.ts).
import { readdirSync, readFileSync } from "node:fs";
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Captured } from "../../test/support/leaks.ts";
import { ApiStandIns } from "./api-stand-ins.ts";

/** One scripted answer (POST /__script). */
export interface ScriptedResponse {
  status?: number;
  headers?: Record<string, string>;
  body?: string;
  delayMs?: number;
  /** Never answers: the relay must time out. */
  hang?: boolean;
  /** Destroys the connection. */
  reset?: boolean;
  /** Answers every request for this long from its first use. */
  forMs?: number;
  /** When `forMs` started (set on first use). */
  since?: number;
}

interface Script {
  match: string;
  responses: ScriptedResponse[];
}

/** A request the receiver got (outside /__). */
export interface ReceivedRequest {
  path: string;
  method?: string;
  /** The query string ("" or "?…"). */
  query?: string;
  /** What a stand-in API did (api-stand-ins.ts): "new message … in C…", "message … changed …". */
  note?: string;
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
  /** The status it was answered with, when that was not a success. */
  failedWith?: number;
}

/** Every request outside /__, answered or not. */
export interface Attempt {
  path: string;
  method?: string;
  body: string;
  at: number;
  answer: number | "hang" | "reset";
}

export interface FakeReceiver {
  port: number;
  server: Server;
  received: ReceivedRequest[];
  attempts: Attempt[];
  /** What test files posted to /__capture for the secrets check. */
  captured: Captured[];
  close: () => Promise<void>;
}

export interface ReceiverOptions {
  /** 0 (the default): any free port. */
  port?: number;
  /** Called with every request outside /__ once it is answered (not for hang or reset). */
  onRequest?: (record: ReceivedRequest) => void;
  /** The bot token the Slack Web API stand-in accepts; any token when unset. */
  slackToken?: string;
}

export function startFakeReceiver({ port = 0, onRequest, slackToken }: ReceiverOptions = {}): Promise<FakeReceiver> {
  const apis = new ApiStandIns(slackToken);
  const scripts: Script[] = [];
  const received: ReceivedRequest[] = [];
  const attempts: Attempt[] = [];
  const captured: Captured[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      if (url.pathname === "/__script" && req.method === "POST") {
        scripts.push(JSON.parse(body));
        return send(res, 204, "");
      }
      if (url.pathname === "/__capture" && req.method === "POST") {
        captured.push(...JSON.parse(body));
        return send(res, 204, "");
      }
      if (url.pathname === "/__attempts") {
        const match = url.searchParams.get("match") ?? "";
        return send(res, 200, JSON.stringify(attempts.filter((a) => a.body.includes(match))), {
          "content-type": "application/json",
        });
      }
      if (url.pathname === "/__received") {
        const match = url.searchParams.get("match") ?? "";
        return send(res, 200, JSON.stringify(received.filter((r) => r.body.includes(match))), {
          "content-type": "application/json",
        });
      }
      if (url.pathname === "/__mail") {
        return send(res, 200, JSON.stringify(mailContaining(url.searchParams.get("match") ?? "")), {
          "content-type": "application/json",
        });
      }
      const record: ReceivedRequest = {
        path: url.pathname,
        method: req.method,
        query: url.search,
        headers: req.headers,
        body,
        at: Date.now(),
      };
      const script = scripts.find((s) => body.includes(s.match) && s.responses.length > 0);
      const api = script ? undefined : apis.answer(req.method ?? "POST", url, req.headers, body);
      if (api?.note) record.note = api.note;
      const answer: ScriptedResponse = script ? next(script) : (api ?? { status: 200, body: "ok" });
      attempts.push({
        path: record.path,
        method: req.method,
        body,
        at: record.at,
        answer: answer.hang ? "hang" : answer.reset ? "reset" : (answer.status ?? 200),
      });
      if (answer.hang) return; // never answers: the relay must time out
      if (answer.reset) {
        req.socket.destroy();
        return;
      }
      const reply = () => {
        // A Web API refusal ({"ok":false,…}, HTTP 200) posted nothing either.
        const refused = /^\s*\{\s*"ok"\s*:\s*false/.test(answer.body ?? "");
        if ((answer.status ?? 200) < 300 && !refused) received.push(record);
        else record.failedWith = answer.status;
        onRequest?.(record);
        send(res, answer.status ?? 200, answer.body ?? "ok", answer.headers);
      };
      if (answer.delayMs) setTimeout(reply, answer.delayMs);
      else reply();
    });
  });
  server.keepAliveTimeout = 1000;
  return new Promise((resolve) => {
    server.listen(port, "127.0.0.1", () => {
      resolve({
        port: (server.address() as AddressInfo).port,
        server,
        received,
        attempts,
        captured,
        close: () =>
          new Promise<void>((r) => {
            server.closeAllConnections();
            server.close(() => r());
          }),
      });
    });
  });
}

/** The script's next answer: the first one, kept while its `forMs` window (from its first use) lasts. */
function next(script: Script): ScriptedResponse {
  const head = script.responses[0] as ScriptedResponse; // scripts with no responses left are never picked
  if (head.forMs === undefined) return script.responses.shift() as ScriptedResponse;
  head.since ??= Date.now();
  if (Date.now() - head.since >= head.forMs) {
    script.responses.shift();
    return script.responses.length > 0 ? next(script) : { status: 200, body: "ok" };
  }
  return head;
}

function send(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": "text/plain", ...headers });
  res.end(body);
}

/** The .eml files of every local miniflare instance whose text contains `match` (other runs' files never do). */
function mailContaining(match: string): { path: string; raw: string }[] {
  const found: { path: string; raw: string }[] = [];
  const list = (dir: string): string[] => {
    try {
      return readdirSync(dir);
    } catch {
      return [];
    }
  };
  for (const instance of list(tmpdir()).filter((name) => name.startsWith("miniflare-"))) {
    const dir = join(tmpdir(), instance, "email", "email");
    for (const file of list(dir).filter((name) => name.endsWith(".eml"))) {
      try {
        const raw = readFileSync(join(dir, file), "utf8");
        if (raw.includes(match)) found.push({ path: join(dir, file), raw });
      } catch {
        // Removed meanwhile (that instance exited): not ours.
      }
    }
  }
  return found;
}
