/**
 * Slack app mode (`bot_token_secret`): messages go through the Web API
 * (web-api.ts) to `channel`, as the app. With `per_session`:
 *   "update"  the session's first event posts; each newer one edits that
 *             message (`chat.update`) to the template rendered for it
 *   "thread"  the first event posts the parent; each newer one updates the
 *             parent, then replies in its thread (`thread_ts`)
 * A message Slack can no longer edit (`message_not_found`,
 * `cant_update_message`, `edit_window_closed`) is replaced by a new one,
 * which the session remembers from then on.
 *
 * `renderApp` is the `chat.postMessage` body (the webhook payload plus
 * `channel`); updates and replies add `ts` or `thread_ts` to that same
 * body, so `routes explain --render` shows what is posted first.
 * Trade-off: in thread mode the parent is updated before the reply is
 * posted, so a failed reply retries both (the update is idempotent); the
 * reverse order could leave a stale parent behind a posted reply.
 */

import { speechOf } from "../../format/speech.ts";
import { templateFor } from "../chat-family/webhook.ts";
import { json, type RenderContext, type Rendered, type SendContext, type SendOutcome } from "../contract.ts";
import { type Follower, followSession, type Sent } from "../per-session/follow.ts";
import { withTranscript } from "../transcript/fetch.ts";
import { apiUrlOf, perSessionOf, type SlackDestinationConfig } from "./config.ts";
import { formatSlack } from "./format.ts";
import { callSlack, type SlackAnswer, type SlackClient } from "./web-api.ts";

/** The `chat.postMessage` body for this event: names, the zone's times and (on a close) the transcript, as in webhook mode. */
export function renderApp(dest: SlackDestinationConfig, ctx: RenderContext): Rendered {
  const speech = speechOf(ctx, dest);
  return json({ channel: dest.channel, ...formatSlack(ctx.event, dest, { template: templateFor(ctx), speech }) });
}

/** Web API calls one attempt may make in a row: an update, a new message, a reply. */
export function appSends(dest: SlackDestinationConfig): number {
  const mode = perSessionOf(dest);
  // The transcript's fetch is one more request within the attempt.
  return (mode === "thread" ? 3 : mode === "update" ? 2 : 1) + ((dest.transcript ?? 0) > 0 ? 1 : 0);
}

/**
 * Delivers one event as the app. Never throws.
 *
 * @example
 * await deliverApp({ type: "slack", bot_token_secret: "SLACK_BOT_TOKEN", channel: "C0123ABCD", per_session: "update", … }, ctx)
 * // → { ok: true, status: 200 }
 */
export async function deliverApp(dest: SlackDestinationConfig, ctx: SendContext): Promise<SendOutcome> {
  const name = dest.bot_token_secret ?? "";
  const token = ctx.secret(name);
  if (!token) return { ok: false, retryable: false, reason: `bot token secret "${name}" is not set` };
  const client: SlackClient = { apiUrl: apiUrlOf(dest), token, timeoutMs: ctx.timeoutMs };
  const body = JSON.parse(renderApp(dest, await withTranscript(dest, ctx)).body) as Record<string, unknown>;
  const post = async (extra: Record<string, unknown> = {}): Promise<Sent> =>
    sent(await callSlack(client, "chat.postMessage", { ...body, ...extra }));
  const mode = perSessionOf(dest);
  const follower: Follower = {
    plain: async () => (await post()).outcome,
    post: () => post(),
    async update(ref) {
      if (ref.kind !== "slack") return post();
      const edited = await callSlack(client, "chat.update", { ...body, channel: ref.channel, ts: ref.ts });
      // The message is gone or frozen: a new one takes its place (and its thread, in thread mode).
      const parent = edited.ok ? sent(edited) : edited.lost ? await post() : sent(edited);
      if (mode !== "thread" || !parent.outcome.ok || !parent.ref || parent.ref.kind !== "slack") return parent;
      const replied = sent(await callSlack(client, "chat.postMessage", { ...body, thread_ts: parent.ref.ts })).outcome;
      // A reply that failed under the same parent records nothing, so the retry updates the parent again
      // (no visible change) and replies; under a parent just posted anew, that parent shows the state.
      if (!replied.ok && edited.ok) return { outcome: replied };
      return { outcome: replied, ref: parent.ref };
    },
  };
  if (mode === "off") return follower.plain();
  return followSession(ctx, appSends(dest), follower);
}

/** A Web API answer as a send: delivered with the message's ref, or its failure. */
function sent(answer: SlackAnswer): Sent {
  if (answer.ok)
    return { outcome: { ok: true, status: 200 }, ref: { kind: "slack", channel: answer.channel, ts: answer.ts } };
  if (answer.lost) return { outcome: { ok: false, retryable: false, reason: `Slack chat.update: ${answer.error}` } };
  return { outcome: answer.outcome };
}
