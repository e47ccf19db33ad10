/**
 * `/admin/dead-letters`: list (newest first, paged), read, replay, delete.
 * Inputs are checked first (src/admin/input.ts), so bad ones are a 400 and
 * never reach KV; unknown ids are 404.
 */
import type { Context } from "hono";
import { log } from "../log/log.ts";
import { deleteDeadLetter, getDeadLetter, listDeadLetters } from "../storage/dead-letters.ts";
import { cursorToken, parseCursor, parseDeadLetterId, parseLimit } from "./input.ts";
import { type ReplayError, replayDeadLetter } from "./replay.ts";

type C = Context<{ Bindings: Env }>;

const notFound = (c: C) => c.json({ error: "no dead letter with this id (they are kept 30 days)" }, 404);

/** `GET /admin/dead-letters?limit=&cursor=` */
export async function listRoute(c: C): Promise<Response> {
  const limit = parseLimit(c.req.query("limit"));
  if (!limit.ok) return c.json({ error: limit.error }, 400);
  const cursor = parseCursor(c.req.query("cursor"));
  if (!cursor.ok) return c.json({ error: cursor.error }, 400);
  try {
    const page = await listDeadLetters(c.env.RELAY_STATE, { limit: limit.value, cursor: cursor.value });
    return c.json({ items: page.items, cursor: page.cursor === null ? null : cursorToken(page.cursor) });
  } catch (e) {
    // KV refuses a cursor it did not make; without one, a failure is KV's (503, via onError).
    if (cursor.value === undefined) throw e;
    return c.json({ error: "invalid or expired cursor: start again without one" }, 400);
  }
}

/** `GET /admin/dead-letters/:id`: the summary plus last status, type, appCode, state and the event. */
export async function getRoute(c: C): Promise<Response> {
  const id = parseDeadLetterId(c.req.param("id") ?? "");
  if (!id.ok) return c.json({ error: id.error }, 400);
  const r = await getDeadLetter(c.env.RELAY_STATE, id.value);
  if (r === null) return notFound(c);
  let event: unknown = null;
  try {
    event = r.event === null ? null : JSON.parse(r.event);
  } catch {
    event = null;
  }
  return c.json({
    id: r.id,
    triggerId: r.triggerId,
    destination: r.destination,
    reason: r.reason,
    attempts: r.attempts,
    deadAt: r.deadAt,
    lastStatus: r.lastStatus,
    type: r.type,
    appCode: r.appCode ?? null,
    state: r.state,
    replayedAt: r.replayedAt ?? null,
    event,
  });
}

function replayRefusal(c: C, e: ReplayError): Response {
  switch (e.reason) {
    case "not_found":
      return notFound(c);
    case "not_dead":
      return c.json({ error: "not dead any more: already replayed (or delivered since); nothing queued" }, 409);
    case "destination_gone":
      return c.json({ error: `destination "${e.destination}" is no longer in the routing config` }, 409);
    case "event_gone":
      return c.json({ error: "the event body is no longer stored; nothing to replay" }, 410);
    case "config_invalid":
      // The consumer could not deliver it either; fix the config (GET /health), then replay.
      return c.json({ error: "relay misconfigured" }, 500);
  }
}

/** `POST /admin/dead-letters/:id/replay`: 202 once; 409 for every later or concurrent try. */
export async function replayRoute(c: C): Promise<Response> {
  const id = parseDeadLetterId(c.req.param("id") ?? "");
  if (!id.ok) return c.json({ error: id.error }, 400);
  const replayed = await replayDeadLetter(c.env, id.value);
  if (!replayed.ok) return replayRefusal(c, replayed.error);
  const r = replayed.value;
  return c.json({ status: "queued", id: r.id, triggerId: r.triggerId, destination: r.destination }, 202);
}

/** `DELETE /admin/dead-letters/:id`: 204, then the id is 404. */
export async function deleteRoute(c: C): Promise<Response> {
  const id = parseDeadLetterId(c.req.param("id") ?? "");
  if (!id.ok) return c.json({ error: id.error }, 400);
  const r = await getDeadLetter(c.env.RELAY_STATE, id.value);
  if (r === null) return notFound(c);
  await deleteDeadLetter(c.env.RELAY_STATE, r);
  log("info", "dead letter deleted", {
    triggerId: r.triggerId,
    destination: r.destination,
    deadLetterId: r.id,
    outcome: "deleted",
  });
  return c.body(null, 204);
}
