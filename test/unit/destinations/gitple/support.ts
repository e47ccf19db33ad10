// Building send contexts for issue 10's message tests: demo events (ids, as Gitple sends them), names
// resolved against the real Open API stand-in, and a config with [vars.ROUTING.gitple] pointing at it.
import { env } from "cloudflare:workers";
import { DEMO_IDS, demoExternalMessageEvent, demoSessionEvent } from "../../../../scripts/lib/gitple-demo-data.ts";
import type { SendContext } from "../../../../src/destinations/contract.ts";
import type { DestinationConfig } from "../../../../src/destinations/registry.ts";
import { viewEvent } from "../../../../src/event/view.ts";
import { eventIds } from "../../../../src/gitple/names.ts";
import { type Resolution, resolveNames } from "../../../../src/gitple/resolve.ts";
import type { RoutingConfig } from "../../../../src/routing/types.ts";
import { STAND_IN_SECRET, type Workspace } from "../../gitple/stand-in.ts";

export const base = (env as unknown as Record<string, string>).TEST_RECEIVER;
export const I = DEMO_IDS;

export type Body = Record<string, unknown> & { type: string; triggerId: string };

/** A close of the demo session (or another session id), in the workspace's app code. */
export function closeEvent(ws: Workspace, triggerId: string, sessionId: string = I.sessions.demo): Body {
  const body = demoSessionEvent("session_state_close", triggerId, ws.appCode) as Body;
  return { ...body, session: { ...(body.session as object), id: sessionId } };
}

export function messageEvent(ws: Workspace, triggerId: string): Body {
  return demoExternalMessageEvent(triggerId, ws.appCode) as Body;
}

export async function namesFor(ws: Workspace, body: Body): Promise<Resolution> {
  return resolveNames(eventIds(body), { conn: ws.conn, cache: ws.cache(null), budgetMs: 3000 });
}

export interface ContextOptions {
  names?: Resolution;
  timezone?: string;
  /** [vars.ROUTING.gitple]; default: the workspace's stand-in with a 1 s timeout. */
  gitple?: Record<string, unknown> | null;
  secrets?: Record<string, string>;
}

export function context(ws: Workspace, body: Body, dest: DestinationConfig, o: ContextOptions = {}): SendContext {
  const raw = JSON.stringify(body);
  const gitple =
    o.gitple === null
      ? undefined
      : (o.gitple ?? { api_secret: "GITPLE_API_SECRET", api_url: ws.conn.apiUrl, timeout_seconds: 1 });
  const secrets: Record<string, string> = { GITPLE_API_SECRET: STAND_IN_SECRET, ...o.secrets };
  return {
    event: viewEvent(JSON.parse(raw)),
    raw,
    destination: "d",
    rules: [],
    config: {
      ...(o.timezone !== undefined && { timezone: o.timezone }),
      ...(gitple && { gitple }),
      rules: [],
      destinations: { d: dest },
      fallback: ["d"],
    } as unknown as RoutingConfig,
    secret: (name) => secrets[name] || undefined,
    env: env as Env,
    timeoutMs: 5000,
    ...(o.names && { names: o.names }),
  };
}

export interface Received {
  path: string;
  body: string;
}

export async function received(match: string): Promise<Received[]> {
  return (await (await fetch(`${base}/__received?match=${encodeURIComponent(match)}`)).json()) as Received[];
}

/** One destination of each chat kind and the webhook envelope, posting to the fake receiver. */
export function kinds(extra: Record<string, unknown> = {}): Record<string, DestinationConfig> {
  const chat = { webhook_url_secret: "KIND_URL", include_contact: false, ...extra };
  return {
    slack: { type: "slack", ...chat } as DestinationConfig,
    discord: { type: "discord", ...chat } as DestinationConfig,
    teams: { type: "teams", ...chat } as DestinationConfig,
    "google-chat": { type: "google-chat", ...chat } as DestinationConfig,
    webhook: {
      type: "webhook",
      url_secret: "KIND_URL",
      body: "envelope",
      ...("transcript" in extra && { transcript: extra.transcript }),
    } as DestinationConfig,
  };
}
