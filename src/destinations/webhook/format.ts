/**
 * The body an outgoing webhook posts.
 *
 * `event` is the Gitple payload exactly as it arrived (the relay keeps the
 * decoded body, so the bytes are Gitple's, less a UTF-8 byte order mark if
 * one led them): a receiver written for Gitple's own webhooks works as is.
 * `envelope` wraps it with where it came from:
 * `{"event":<payload>,"rule":"<first matched rule>"|"fallback","destination":"<name>","deliveredAt":"<ISO time>"}`.
 * The payload is spliced in as text rather than parsed and re-serialised, so
 * inside the envelope too it is byte for byte what Gitple sent (its key order,
 * its number formats), and a large event costs no second parse.
 */
import type { TranscriptState } from "../../format/speech.ts";
import { NAME_KINDS } from "../../gitple/kinds.ts";
import type { Resolution } from "../../gitple/resolve.ts";
import type { WebhookDestinationConfig } from "./config.ts";

export interface WebhookBodyContext {
  /** The event body as Gitple sent it: valid JSON (ingest parsed it). */
  readonly raw: string;
  /** The destination's name. */
  readonly destination: string;
  /** The matched rules that sent the event here, in order; empty = the fallback. */
  readonly rules: readonly string[];
  /** When this attempt is made. */
  readonly now: Date;
  /** The event's ids resolved (issue 10): the envelope adds `"names"`. */
  readonly names?: Resolution;
  /** On a close with `transcript = N`: the envelope adds `"transcript"`. */
  readonly transcript?: TranscriptState;
}

/**
 * @example
 * webhookBody({ type: "webhook", url_secret: "U", body: "event" }, ctx) // → ctx.raw
 * webhookBody({ type: "webhook", url_secret: "U", body: "envelope" }, { raw: '{"triggerId":"t1"}', destination: "erp", rules: [], now })
 * // → '{"event":{"triggerId":"t1"},"rule":"fallback","destination":"erp","deliveredAt":"2026-01-01T00:00:00.000Z"}'
 */
export function webhookBody(dest: WebhookDestinationConfig, ctx: WebhookBodyContext): string {
  if (dest.body !== "envelope") return ctx.raw;
  const rule = ctx.rules[0] ?? "fallback";
  return `{"event":${ctx.raw},"rule":${JSON.stringify(rule)},"destination":${JSON.stringify(ctx.destination)},"deliveredAt":${JSON.stringify(ctx.now.toISOString())}${extras(ctx)}}`;
}

/**
 * The envelope's issue-10 members, only when there is something to say: `"names"` as
 * `{"<kind>": {"<id>": "<name>"}}` (the event's ids and the transcript's senders; the format
 * `npm run routes -- names --json` prints), `"transcript"` as Gitple returned it (`null` when it
 * could not be fetched, a string saying when it is fetched in a preview).
 */
function extras(ctx: WebhookBodyContext): string {
  let out = "";
  const t = ctx.transcript;
  const names = namesJson([ctx.names, t?.state === "ok" ? t.senders : undefined]);
  if (names !== undefined) out += `,"names":${JSON.stringify(names)}`;
  if (t?.state === "ok") out += `,"transcript":${JSON.stringify(t.raw)}`;
  else if (t?.state === "unavailable") out += `,"transcript":null,"transcriptUnavailable":true`;
  else if (t?.state === "preview")
    out += `,"transcript":${JSON.stringify(`the last ${t.last} messages, fetched from Gitple when this is sent`)}`;
  return out;
}

function namesJson(
  resolutions: readonly (Resolution | undefined)[],
): Record<string, Record<string, string>> | undefined {
  if (resolutions.every((r) => r === undefined)) return undefined;
  const out: Record<string, Record<string, string>> = {};
  for (const kind of NAME_KINDS) {
    const byId: Record<string, string> = {};
    for (const res of resolutions) {
      for (const [id, record] of Object.entries(res?.names[kind] ?? {})) byId[id] = record.name;
    }
    if (Object.keys(byId).length > 0) out[kind] = byId;
  }
  return out;
}
