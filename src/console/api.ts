/**
 * The console's one door to the relay's data: the JSON admin API
 * (src/admin/app.ts), called in-process with the bearer token, so the pages
 * know only its documented answers (README, "The admin API") and nothing of
 * how dead letters or deliveries are stored. The cookie never reaches the
 * JSON API: only this module, on the server side, speaks to it.
 */
import { createAdminApp } from "../admin/app.ts";

export interface ApiAnswer<T = Record<string, unknown>> {
  readonly status: number;
  /** The parsed JSON answer; {} for an empty one (204). */
  readonly body: T;
}

let admin: ReturnType<typeof createAdminApp> | undefined;

/**
 * Calls `/admin<path>` of the admin API with the deployment's own token.
 *
 * @example
 * const page = await adminApi(env, token, "/dead-letters?limit=50");
 * // → { status: 200, body: { items: […], cursor: null } }
 */
export async function adminApi<T = Record<string, unknown>>(
  env: Env,
  token: string,
  path: string,
  init: { method?: string; body?: string } = {},
): Promise<ApiAnswer<T>> {
  admin ??= createAdminApp();
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  if (init.body !== undefined) headers["content-type"] = "application/json";
  const response = await admin.request(path, { method: init.method ?? "GET", headers, body: init.body }, env);
  const text = await response.text();
  let body: unknown = {};
  try {
    body = text === "" ? {} : JSON.parse(text);
  } catch {
    body = { error: text };
  }
  return { status: response.status, body: body as T };
}

/** The `error` message of a failed answer, or a generic one. */
export function apiError(answer: ApiAnswer<unknown>): string {
  const error = (answer.body as { error?: unknown } | null)?.error;
  return typeof error === "string" ? error : `the admin API answered ${answer.status}`;
}
