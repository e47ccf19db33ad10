/**
 * Google Chat `per_session = "thread"`: every event of a session in one
 * thread. The body names the thread by a key made of the session id
 * (`thread.threadKey`), and the webhook URL asks
 * `messageReplyOption=REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD`
 * (https://developers.google.com/workspace/chat/api/reference/rest/v1/spaces.messages/create),
 * so the first event starts the thread and later ones reply in it. The
 * session's object keeps the thread's name and the state shown, so a late,
 * duplicate or replayed event posts nothing. Trade-off: a webhook cannot
 * edit its messages, so the thread's first message keeps the state it was
 * posted with; the replies carry the session onwards.
 */
import type { EventView } from "../../event/view.ts";
import type { SendContext, SendOutcome } from "../contract.ts";
import { requestJson } from "../http-json.ts";
import { followSession, type Sent } from "../per-session/follow.ts";

/** The thread key of a session: stable, and the same for every event of it. */
export function threadKeyOf(event: EventView): string | undefined {
  const id = event.session?.id;
  return id ? `gitple-session-${event.appCode ?? ""}-${id}`.slice(0, 200) : undefined;
}

/**
 * Delivers one event of a followed session. Never throws.
 *
 * @example
 * await deliverThreaded("https://chat.googleapis.com/v1/spaces/AAA/messages?key=…&token=…", body, ctx)
 * // → { ok: true, status: 200 }
 */
export function deliverThreaded(url: string, body: string, ctx: SendContext): Promise<SendOutcome> {
  const post = async (): Promise<Sent> => {
    const answer = await requestJson("POST", threadedUrl(url), body, { timeoutMs: ctx.timeoutMs });
    if (!answer.outcome.ok) return { outcome: answer.outcome };
    const name = (answer.json as { thread?: { name?: unknown } } | undefined)?.thread?.name;
    const thread = typeof name === "string" ? name : (threadKeyOf(ctx.event) ?? "");
    return { outcome: answer.outcome, ref: { kind: "google-chat", thread } };
  };
  return followSession(ctx, 1, { plain: async () => (await post()).outcome, post, update: post });
}

function threadedUrl(url: string): string {
  if (!URL.canParse(url)) return url;
  const u = new URL(url);
  u.searchParams.set("messageReplyOption", "REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD");
  return u.toString();
}
