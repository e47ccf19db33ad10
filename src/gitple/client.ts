/**
 * The Gitple Open API client: one GET, its headers, a deadline, and Gitple's error table mapped to
 * tagged outcomes (shared/seeds/gitple-open-api.md, "Calling it"). Never throws and never logs.
 *
 * The secret travels only in the `secret` header: no outcome, message or detail contains it, nor
 * the URL (ids are plain tokens, but the base URL is config). A 401 is a configuration problem, not
 * an outage: retrying cannot fix it, so it is kept apart from `unavailable` (429, 5xx, network,
 * timeout), which the caller may retry later.
 */
import { err, ok, type Result } from "../result.ts";
import { PLAIN_TOKEN } from "./kinds.ts";

/** Where and as whom to call: `apiUrl` from config, `appCode` from the event, `secret` from the api_secret secret. */
export interface GitpleConnection {
  apiUrl: string;
  appCode: string;
  secret: string;
  /** For tests; default the global fetch. */
  fetch?: typeof fetch;
}

export type GitpleProblem =
  /** 404, or an id that is not a plain token (never requested). */
  | { reason: "unknown" }
  /** 401: the app code or the secret is wrong. `message` says what to check. */
  | { reason: "unauthorized"; message: string }
  /** 400 (or an app code that cannot be sent as a header). Not retryable. */
  | { reason: "bad_request"; message: string }
  /** 429, 5xx, an unreadable 200, a network error or the deadline: retryable. */
  | { reason: "unavailable"; message: string };

/** Headers a request also carries an app code in; Gitple workspaces' app codes are plain tokens too. */
const APP_CODE = /^[A-Za-z0-9_.-]{1,128}$/;

/**
 * The 401 message: what is wrong and what to check (shown in /health and logged once). Names the app
 * code (not a secret) and the config key, never the secret.
 * @example unauthorizedMessage("demo-app") // 'Gitple Open API answered 401 Unauthorized for app code "demo-app": check …'
 */
export function unauthorizedMessage(appCode: string): string {
  return (
    `Gitple Open API answered 401 Unauthorized for app code "${appCode}": check that the secret named by ` +
    "[vars.ROUTING.gitple] api_secret holds this workspace's Open API secret (not the webhook signing secret) " +
    "and that the event's appCode is this workspace's app code"
  );
}

/**
 * GETs `<apiUrl>/<segments joined by "/">` before `deadline` (epoch ms). Every segment must be a plain
 * token, or nothing is requested and the answer is `unknown`.
 * @example
 *   const r = await gitpleGet(conn, ["exports", "sessionTags", "5cc7a1000000000000000001"], Date.now() + 3000);
 *   if (r.ok) r.value; // { id: "5cc7…", name: "VIP" }
 *   else r.error.reason; // "unknown" | "unauthorized" | "bad_request" | "unavailable"
 */
export async function gitpleGet(
  conn: GitpleConnection,
  segments: readonly string[],
  deadline: number,
): Promise<Result<unknown, GitpleProblem>> {
  if (!segments.every((s) => PLAIN_TOKEN.test(s))) return err({ reason: "unknown" });
  if (!APP_CODE.test(conn.appCode)) {
    return err({ reason: "bad_request", message: "the event's appCode is not a plain token; not sent to Gitple" });
  }
  const remaining = deadline - Date.now();
  if (remaining <= 0) return err({ reason: "unavailable", message: "no time left in the lookup budget" });
  const url = `${conn.apiUrl.replace(/\/+$/, "")}/${segments.join("/")}`;
  let response: Response;
  try {
    response = await (conn.fetch ?? fetch)(url, {
      method: "GET",
      headers: { "Content-Type": "application/json", "app-code": conn.appCode, secret: conn.secret },
      signal: AbortSignal.timeout(remaining),
      // A redirect would carry the secret header elsewhere: not followed (an unexpected 3xx).
      redirect: "manual",
    });
  } catch (e) {
    const timedOut = e instanceof Error && (e.name === "TimeoutError" || e.name === "AbortError");
    return err({
      reason: "unavailable",
      message: timedOut ? `no answer within ${remaining} ms` : "network error (connection failed)",
    });
  }
  return classify(response, conn.appCode);
}

/** Gitple's error table. Reads (or discards) the body so the connection is released. */
async function classify(response: Response, appCode: string): Promise<Result<unknown, GitpleProblem>> {
  const status = response.status;
  if (status === 200) {
    try {
      return ok(await response.json());
    } catch {
      return err({ reason: "unavailable", message: "200 with a body that is not JSON" });
    }
  }
  await response.body?.cancel().catch(() => undefined);
  if (status === 404) return err({ reason: "unknown" });
  if (status === 401) return err({ reason: "unauthorized", message: unauthorizedMessage(appCode) });
  if (status === 400) return err({ reason: "bad_request", message: "Gitple answered 400 (a parameter is invalid)" });
  if (status === 429) return err({ reason: "unavailable", message: "Gitple answered 429 (rate limited)" });
  if (status >= 500) return err({ reason: "unavailable", message: `Gitple answered ${status}` });
  // Anything else (403, 3xx …) is unexpected; retrying later is the safe reading.
  return err({ reason: "unavailable", message: `Gitple answered an unexpected ${status}` });
}
