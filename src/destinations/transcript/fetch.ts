/**
 * The transcript on close (issue 10), fetched inside the delivery attempt: when the destination
 * sets `transcript = N` and the event is a `session_state_close`, `deliver` calls `withTranscript`
 * before rendering, so the message it renders (and sends) carries the session's last N messages
 * with their senders' names. Everything shares one deadline: the Open API's `timeout_seconds`, and
 * never more than the attempt's own timeout.
 *
 * A notice is never held back by it: no Open API config, no secret, no session id, a 401, a 5xx, a
 * hang past the deadline, or anything thrown, and the message goes out saying "transcript
 * unavailable" (one warn log line with the reason, never the secret). Trade-off: the transcript is
 * fetched again on a retried attempt; it is read once per attempt, not cached.
 */

import type { TranscriptState } from "../../format/speech.ts";
import { NameCache } from "../../gitple/cache.ts";
import type { GitpleConnection } from "../../gitple/client.ts";
import type { GitpleConfig } from "../../gitple/config.ts";
import { resolveNames } from "../../gitple/resolve.ts";
import { fetchTranscript, transcriptIds } from "../../gitple/transcript.ts";
import { errorText, log } from "../../log/log.ts";
import type { SendContext } from "../contract.ts";

/**
 * `[vars.ROUTING.gitple]` from the validated config, or undefined when it is absent or invalid.
 * The one place that reads it for delivery: read defensively, since the config layer that
 * validates it may be another branch's (src/config, the ROUTE helper of issue 10).
 */
export function gitpleSettings(config: object): GitpleConfig | undefined {
  const raw: unknown = (config as { gitple?: unknown }).gitple;
  if (typeof raw !== "object" || raw === null) return undefined;
  const g = raw as Partial<Record<keyof GitpleConfig, unknown>>;
  if (typeof g.api_secret !== "string") return undefined;
  // Validated (defaults filled) by the config layer; the defaults here only guard a raw table.
  const num = (v: unknown, d: number) => (typeof v === "number" && v > 0 ? v : d);
  return {
    api_secret: g.api_secret,
    api_url: typeof g.api_url === "string" ? g.api_url.replace(/\/+$/, "") : "https://api.gitple.io/v1",
    cache_ttl_seconds: num(g.cache_ttl_seconds, 86400),
    timeout_seconds: Math.min(num(g.timeout_seconds, 3), 10),
  };
}

/**
 * The context with its transcript, when this destination wants one for this event; else as given.
 * @example
 *   const c = await withTranscript(dest, ctx); // c.transcript: { state: "ok", messages, … } | { state: "unavailable" }
 *   render(dest, c)
 */
export async function withTranscript<C extends SendContext>(
  dest: { readonly transcript?: number },
  ctx: C,
): Promise<C> {
  const last = dest.transcript ?? 0;
  if (last <= 0 || ctx.event.type !== "session_state_close" || ctx.transcript !== undefined) return ctx;
  let transcript: TranscriptState;
  try {
    transcript = await loadTranscript(last, ctx);
  } catch (e) {
    transcript = unavailable(ctx, errorText(e));
  }
  return { ...ctx, transcript };
}

async function loadTranscript(last: number, ctx: SendContext): Promise<TranscriptState> {
  const settings = gitpleSettings(ctx.config);
  if (!settings) return unavailable(ctx, "no [vars.ROUTING.gitple] configured");
  const secret = ctx.secret(settings.api_secret);
  if (!secret) return unavailable(ctx, `Open API secret "${settings.api_secret}" is not set`);
  const sessionId = ctx.event.session?.id;
  const appCode = ctx.event.appCode;
  if (!sessionId || !appCode) return unavailable(ctx, "the event has no session id or app code");
  const conn: GitpleConnection = { apiUrl: settings.api_url, appCode, secret };
  const deadline = Date.now() + Math.min(settings.timeout_seconds * 1000, ctx.timeoutMs);
  const fetched = await fetchTranscript(conn, sessionId, { last, deadline });
  if (!fetched.ok) return unavailable(ctx, fetched.error.reason);
  const t = fetched.value;
  const cache = new NameCache({ kv: ctx.env.RELAY_STATE, ttlSeconds: settings.cache_ttl_seconds });
  const senders = await resolveNames(transcriptIds(t), { conn, cache, budgetMs: Math.max(0, deadline - Date.now()) });
  return { state: "ok", messages: t.messages, omitted: t.omitted, raw: t.raw, senders };
}

function unavailable(ctx: SendContext, reason: string): TranscriptState {
  log("warn", "transcript unavailable; sending without it", {
    destination: ctx.destination,
    triggerId: ctx.event.triggerId,
    reason,
  });
  return { state: "unavailable" };
}
