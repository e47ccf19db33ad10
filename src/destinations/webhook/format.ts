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
  return `{"event":${ctx.raw},"rule":${JSON.stringify(rule)},"destination":${JSON.stringify(ctx.destination)},"deliveredAt":${JSON.stringify(ctx.now.toISOString())}}`;
}
