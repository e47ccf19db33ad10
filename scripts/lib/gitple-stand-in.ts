// A local stand-in for Gitple's Open API (shared/seeds/gitple-open-api.md), for `npm start` and the
// tests: a real HTTP server on 127.0.0.1 serving GET /v1/exports/... from demo data. It answers as
// the real one documents: 401 {"error":"Unauthorized"} when the app-code or secret header is wrong,
// 404 for an unknown id. It counts calls per workspace and path and records the highest number of
// requests in flight, and can be told to misbehave per path (500 N times, 429, a hang).
//
// Test control (plain HTTP, so tests inside workerd can use it; workspaces keep parallel test files apart):
//   POST /__workspace  {"appCode":"t-1","secret":"s","latencyMs":30}  adds a workspace serving the demo data
//   POST /__misbehave  {"appCode":"t-1","path":"/exports/sessionTags/<id>" | "*",
//                       "responses":[{"status":500},{"status":429,"headers":{"retry-after":"1"}},{"hang":true},{"delayMs":200}]}
//        each matching request takes the next response (a bare {"delayMs"} answers normally after it);
//        once they are used up the path behaves normally again
//   GET  /__calls?appCode=t-1  → {"calls":{"/exports/...":n},"total":n,"maxInFlight":n}
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { DEMO_API_SECRET, DEMO_APP_CODE, DEMO_DATA, type GitpleData, type Misbehaviour } from "./gitple-demo-data.ts";

export type { Misbehaviour };

interface Workspace {
  secret: string;
  data: GitpleData;
  latencyMs: number;
  calls: Map<string, number>;
  inFlight: number;
  maxInFlight: number;
  scripts: { path: string; responses: Misbehaviour[] }[];
}

export interface GitpleStandIn {
  port: number;
  /** The base URL to configure as `api_url`, e.g. `http://127.0.0.1:8788/v1`. */
  url: string;
  /** Calls so far per path (after `/v1`) for a workspace (default: the one started with). */
  calls(appCode?: string): Record<string, number>;
  /** The highest number of requests that were in flight at once for a workspace. */
  maxInFlight(appCode?: string): number;
  /** Adds a workspace serving `data` (default: the demo data). */
  addWorkspace(appCode: string, options?: { secret?: string; data?: GitpleData; latencyMs?: number }): void;
  /** Scripts the next answers for `path` ("*" = any path) of a workspace. */
  misbehave(appCode: string, path: string, responses: Misbehaviour[]): void;
  close(): Promise<void>;
}

export interface GitpleStandInOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  appCode?: string;
  secret?: string;
  data?: GitpleData;
}

/**
 * Starts the stand-in on 127.0.0.1.
 * @example
 *   const gitple = await startGitpleStandIn();
 *   // api_url = gitple.url, app-code "demo-app", secret "demo-open-api-secret"
 *   gitple.calls(); // { "/exports/sessionTags/5cc7a1000000000000000001": 1 }
 *   await gitple.close();
 */
export async function startGitpleStandIn(options: GitpleStandInOptions = {}): Promise<GitpleStandIn> {
  const defaultApp = options.appCode ?? DEMO_APP_CODE;
  const workspaces = new Map<string, Workspace>();
  const addWorkspace: GitpleStandIn["addWorkspace"] = (appCode, o = {}) => {
    workspaces.set(appCode, {
      secret: o.secret ?? options.secret ?? DEMO_API_SECRET,
      data: o.data ?? options.data ?? DEMO_DATA,
      latencyMs: o.latencyMs ?? 0,
      calls: new Map(),
      inFlight: 0,
      maxInFlight: 0,
      scripts: [],
    });
  };
  addWorkspace(defaultApp, { secret: options.secret, data: options.data });
  const misbehave: GitpleStandIn["misbehave"] = (appCode, path, responses) => {
    workspaces.get(appCode)?.scripts.push({ path, responses: [...responses] });
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      if (url.pathname.startsWith("/__")) return control(url, body, res);
      void api(req, url, res);
    });
  });

  function control(url: URL, body: string, res: ServerResponse) {
    try {
      if (url.pathname === "/__workspace") {
        const o = JSON.parse(body) as { appCode: string; secret?: string; latencyMs?: number };
        addWorkspace(o.appCode, { secret: o.secret, latencyMs: o.latencyMs });
        return json(res, 204, null);
      }
      if (url.pathname === "/__misbehave") {
        const o = JSON.parse(body) as { appCode: string; path: string; responses: Misbehaviour[] };
        if (!workspaces.has(o.appCode)) return json(res, 400, { error: `no workspace ${o.appCode}` });
        misbehave(o.appCode, o.path, o.responses);
        return json(res, 204, null);
      }
      if (url.pathname === "/__calls") {
        const ws = workspaces.get(url.searchParams.get("appCode") ?? defaultApp);
        if (!ws) return json(res, 404, { error: "no such workspace" });
        const calls = Object.fromEntries(ws.calls);
        const total = [...ws.calls.values()].reduce((a, b) => a + b, 0);
        return json(res, 200, { calls, total, maxInFlight: ws.maxInFlight });
      }
      json(res, 404, { error: "no such control path" });
    } catch (e) {
      json(res, 400, { error: String(e) });
    }
  }

  async function api(req: IncomingMessage, url: URL, res: ServerResponse) {
    const path = url.pathname.startsWith("/v1/") ? url.pathname.slice(3) : url.pathname;
    const appCode = header(req, "app-code");
    const ws = workspaces.get(appCode);
    if (ws) {
      ws.calls.set(path, (ws.calls.get(path) ?? 0) + 1);
      ws.inFlight++;
      ws.maxInFlight = Math.max(ws.maxInFlight, ws.inFlight);
      res.on("close", () => ws.inFlight--);
    }
    // Gitple: 401 when the app code or the secret is wrong.
    if (!ws || header(req, "secret") !== ws.secret) return json(res, 401, { error: "Unauthorized" });
    if (ws.latencyMs > 0) await sleep(ws.latencyMs);
    const script = ws.scripts.find((s) => (s.path === path || s.path === "*") && s.responses.length > 0);
    const scripted = script?.responses.shift();
    if (scripted) {
      if (scripted.hang) return; // never answered; the client's abort closes the socket
      if (scripted.delayMs) await sleep(scripted.delayMs);
      if (scripted.status !== undefined) {
        res.writeHead(scripted.status, { "content-type": "application/json", ...scripted.headers });
        res.end(scripted.body ?? JSON.stringify({ error: `scripted ${scripted.status}` }));
        return;
      }
    }
    if (req.method !== "GET") return json(res, 404, { error: "Not Found" });
    const answer = lookup(ws.data, path);
    if (answer === undefined) return json(res, 404, { error: "Not Found" });
    json(res, 200, answer);
  }

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: `http://127.0.0.1:${port}/v1`,
    calls: (appCode = defaultApp) => Object.fromEntries(workspaces.get(appCode)?.calls ?? []),
    maxInFlight: (appCode = defaultApp) => workspaces.get(appCode)?.maxInFlight ?? 0,
    addWorkspace,
    misbehave,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** `/exports/<resource>/<id>` or `/exports/sessions/<id>/messages` → the object, or undefined (404). */
function lookup(data: GitpleData, path: string): unknown {
  const parts = path.split("/").filter(Boolean).map(decodeURIComponent);
  if (parts[0] !== "exports") return undefined;
  const [, resource, id, sub] = parts;
  if (resource === undefined || id === undefined) return undefined;
  if (resource === "sessions" && sub === "messages" && parts.length === 4) {
    return Object.hasOwn(data.messages, id) ? data.messages[id] : undefined;
  }
  if (parts.length !== 3 || !Object.hasOwn(data, resource) || resource === "messages") return undefined;
  const table = data[resource as keyof GitpleData] as Record<string, unknown>;
  return Object.hasOwn(table, id) ? table[id] : undefined;
}

function header(req: IncomingMessage, name: string): string {
  const value = req.headers[name];
  return Array.isArray(value) ? (value[0] ?? "") : (value ?? "");
}

function json(res: ServerResponse, status: number, body: unknown): void {
  if (status === 204) {
    res.writeHead(204);
    res.end();
    return;
  }
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// Run alone for a manual demo: `npx node scripts/lib/gitple-stand-in.ts [port]`.
if (import.meta.main) {
  const gitple = await startGitpleStandIn({ port: Number(process.argv[2] ?? 8790) });
  console.log(`Gitple Open API stand-in on ${gitple.url} (app-code ${DEMO_APP_CODE}, secret ${DEMO_API_SECRET})`);
  process.on("SIGINT", () => void gitple.close().then(() => process.exit(0)));
}
