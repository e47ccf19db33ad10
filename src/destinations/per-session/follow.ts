/**
 * Following a session (`per_session` "update" or "thread"), for every kind
 * that can: the delivery asks the session's object (src/sessions) what to do
 * with its event, does it through the kind's `Follower`, and records the
 * message's ref and the state it now shows.
 *
 *   post    the first event of the session here: a new (parent) message
 *   update  a newer event: the kind edits the message, or replies in its thread
 *   same    not newer than what is shown (late, duplicate, replayed): nothing is sent
 *   wait    another delivery of this session is sending: retry in a moment
 *           (a retryable outcome with a short delay, never a blocked consumer)
 *
 * Events without a session id, and events that are not a session state
 * (`send_external_message`), are sent as today through `plain`.
 * Trade-off: a wait is an attempt (the claim counts it), so a session whose
 * first message takes several attempts to post can push a concurrent
 * event's delivery towards `max_attempts`; the hold is short and the usual
 * delivery policy leaves room.
 */
import type { MessageRef, ShownState, Wanted } from "../../sessions/messages.ts";
import { stateOf } from "../../sessions/messages.ts";
import { sessionFor } from "../../sessions/stub.ts";
import type { SendContext, SendOutcome } from "../contract.ts";

/** What a send did: its outcome, and the ref of the message it now shows (when known). */
export interface Sent {
  readonly outcome: SendOutcome;
  readonly ref?: MessageRef;
}

/** A kind's three ways to send for a session. */
export interface Follower {
  /** The event on its own, as without per_session. */
  plain(): Promise<SendOutcome>;
  /** The session's first message. */
  post(): Promise<Sent>;
  /** A newer event: edit `ref` (or reply in its thread); may post anew and answer a new ref. */
  update(ref: MessageRef, shown: ShownState): Promise<Sent>;
}

/** Time a hold lasts besides the sends themselves. */
const HOLD_MARGIN_MS = 30_000;

/**
 * One delivery of a followed session (see the header). Never throws.
 *
 * @example
 * await followSession(ctx, 2, follower) // → { ok: true, status: 200 }
 * // → { ok: false, retryable: true, reason: "waiting for this session's message …", retryAfterSeconds: 1 }
 */
export async function followSession(ctx: SendContext, sends: number, follower: Follower): Promise<SendOutcome> {
  const sessionId = ctx.event.session?.id;
  const state = stateOf(ctx.event.type);
  if (!sessionId || state === 0) return follower.plain();
  const wanted: Wanted = {
    state,
    trigger: ctx.event.triggerId,
    ...(ctx.event.ctime ? { ctime: ctx.event.ctime } : {}),
  };
  try {
    const session = sessionFor(ctx.env, ctx.event.appCode, sessionId);
    const r = await session.reserveMessage(ctx.destination, wanted, ctx.timeoutMs * sends + HOLD_MARGIN_MS);
    if (r.action === "same") return { ok: true, status: 200 };
    if (r.action === "wait") {
      return {
        ok: false,
        retryable: true,
        reason: "waiting for this session's message (another delivery of the session is sending it)",
        retryAfterSeconds: Math.max(1, Math.ceil(r.retryInMs / 1000)),
      };
    }
    let sent: Sent;
    try {
      sent = r.action === "post" ? await follower.post() : await follower.update(r.ref, r.shown);
    } catch {
      sent = { outcome: { ok: false, retryable: true, reason: "the send failed unexpectedly" } };
    }
    if (sent.ref) await session.recordMessage(ctx.destination, sent.ref, wanted);
    else await session.releaseMessage(ctx.destination);
    return sent.outcome;
  } catch {
    return { ok: false, retryable: true, reason: "the session's state could not be read (Durable Object unavailable)" };
  }
}
