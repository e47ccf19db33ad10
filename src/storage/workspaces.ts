/**
 * The appCodes the relay has accepted events for, so `GET /admin/deliveries`
 * can find an event by triggerId alone: each event's record lives in its
 * claim Durable Object, named by the hash of (appCode, triggerId), so the
 * lookup tries every known appCode (a Gitple workspace has one; a relay
 * usually serves one or a few).
 *
 * Layout: RELAY_STATE `workspace:<appCode>` → "" (no expiry; `workspace:` for
 * events without one). Cost: one KV read per appCode per isolate (remembered
 * in memory after), one write per appCode ever: not per event.
 */
import { errorText, log } from "../log/log.ts";

const PREFIX = "workspace:";
/** At most this many appCodes are tried for one lookup. */
export const MAX_WORKSPACES = 20;
const known = new Set<string>();

/**
 * Makes sure the appCode is listed. Never rejects: a failure is logged (that event is then found only with `appCode`).
 *
 * @example
 * await noteWorkspace(env.RELAY_STATE, "acme-shop");
 */
export async function noteWorkspace(kv: KVNamespace, appCode: string | undefined): Promise<void> {
  const name = appCode ?? "";
  if (known.has(name)) return;
  try {
    if ((await kv.get(`${PREFIX}${name}`)) === null) await kv.put(`${PREFIX}${name}`, "");
    known.add(name);
  } catch (e) {
    log("warn", "workspace list write failed", { appCode, error: errorText(e) });
  }
}

/**
 * The appCodes seen (undefined for events without one). Throws when KV fails.
 *
 * @example
 * await listWorkspaces(env.RELAY_STATE) // → ["acme-shop"]
 */
export async function listWorkspaces(kv: KVNamespace): Promise<(string | undefined)[]> {
  const { keys } = await kv.list({ prefix: PREFIX, limit: MAX_WORKSPACES });
  return keys.map((k) => k.name.slice(PREFIX.length) || undefined);
}
