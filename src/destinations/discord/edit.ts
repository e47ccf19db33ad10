/**
 * Discord `per_session = "update"`: one message per session, edited as the
 * session changes. The first event posts with `?wait=true`, so Discord
 * answers the message (and its id) instead of 204
 * (https://discord.com/developers/docs/resources/webhook#execute-webhook);
 * later events `PATCH /webhooks/{id}/{token}/messages/{message_id}`
 * (#edit-webhook-message) with the same body. A message that is gone
 * (404, Unknown Message) is replaced by a new one. The status table is
 * http.ts's, as for every webhook (429's `retry_after` included).
 * Trade-off: the edit sends the body as rendered, `username` and
 * `avatar_url` left out (an edit cannot change who posted).
 */
import type { MessageRef } from "../../sessions/messages.ts";
import type { SendContext, SendOutcome } from "../contract.ts";
import { requestJson } from "../http-json.ts";
import { followSession, type Sent } from "../per-session/follow.ts";

/**
 * Delivers one event of a followed session to a Discord webhook. Never throws.
 *
 * @example
 * await deliverEdited("https://discord.com/api/webhooks/1/abc", body, ctx) // → { ok: true, status: 200 }
 */
export function deliverEdited(url: string, body: string, ctx: SendContext): Promise<SendOutcome> {
  const opts = { timeoutMs: ctx.timeoutMs };
  const post = async (): Promise<Sent> => {
    const answer = await requestJson("POST", withQuery(url, "wait", "true"), body, opts);
    const id = (answer.json as { id?: unknown } | undefined)?.id;
    if (!answer.outcome.ok || typeof id !== "string") return { outcome: answer.outcome };
    return { outcome: answer.outcome, ref: { kind: "discord", id } };
  };
  return followSession(ctx, 2, {
    plain: async () => (await post()).outcome,
    post,
    async update(ref: MessageRef) {
      if (ref.kind !== "discord") return post();
      const { username: _u, avatar_url: _a, ...edit } = JSON.parse(body) as Record<string, unknown>;
      const answer = await requestJson("PATCH", messageUrl(url, ref.id), JSON.stringify(edit), opts);
      if (answer.outcome.ok) return { outcome: answer.outcome, ref };
      return answer.outcome.status === 404 ? post() : { outcome: answer.outcome };
    },
  });
}

/** `…/webhooks/{id}/{token}/messages/{message_id}`, the webhook's query (e.g. `thread_id`) kept. */
function messageUrl(url: string, messageId: string): string {
  if (!URL.canParse(url)) return url;
  const u = new URL(url);
  u.searchParams.delete("wait");
  u.pathname = `${u.pathname.replace(/\/+$/, "")}/messages/${encodeURIComponent(messageId)}`;
  return u.toString();
}

function withQuery(url: string, name: string, value: string): string {
  if (!URL.canParse(url)) return url;
  const u = new URL(url);
  u.searchParams.set(name, value);
  return u.toString();
}
