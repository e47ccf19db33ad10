/**
 * The one place that names session objects: one SessionState per
 * (appCode, session id). The name joins both with a newline, which neither
 * holds in a real event, so two workspaces' sessions never share an object.
 */
import type { SessionState } from "./object.ts";

/**
 * @example
 * const session = sessionFor(env, "acme-shop", "5cc6c0048e1c2a0013f0a1c3");
 */
export function sessionFor(
  env: Pick<Env, "SESSIONS">,
  appCode: string | undefined,
  sessionId: string,
): DurableObjectStub<SessionState> {
  return env.SESSIONS.get(env.SESSIONS.idFromName(`${appCode ?? ""}\n${sessionId}`)) as DurableObjectStub<SessionState>;
}
