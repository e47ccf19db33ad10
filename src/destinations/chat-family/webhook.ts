/**
 * The kind every chat webhook shares (Slack, Discord, Teams, Google Chat):
 * the webhook URL read from the secret the destination names, the template
 * picked (first matched rule with one, else the destination's), the payload
 * rendered as JSON and POSTed through http.ts, so the retry table is the same
 * for every kind. `chatKind` builds the whole `DestinationKind` from a
 * kind's schema and formatter.
 *
 * Trade-off: the webhook URL is a secret (anyone holding it can post to the
 * channel), so no reason or log line carries it; a missing secret fails for
 * good, since retrying cannot set it.
 */
import type { Template } from "../../config/shared.ts";
import { secretNamesOf } from "../../config/shared.ts";
import type { EventView } from "../../event/view.ts";
import { type Speech, speechOf } from "../../format/speech.ts";
import { pickTemplate } from "../../format/template.ts";
import { type DestinationKind, json, type RenderContext } from "../contract.ts";
import { postJson } from "../http.ts";
import { withTranscript } from "../transcript/fetch.ts";
import type { ChatDestinationConfig } from "./config.ts";

type Format<D> = (event: EventView, dest: D, template?: Template, speech?: Speech) => unknown;

/** The template that applies to this delivery: the first matched rule's, else the destination's. */
export function templateFor(ctx: RenderContext): Template | undefined {
  return pickTemplate(ctx.config, ctx.destination, ctx.rules);
}

/**
 * A chat kind: its schema, its formatter, and the shared webhook send.
 *
 * @example
 * export const discord = chatKind("discord", discordSchema, formatDiscord);
 * await discord.deliver(dest, ctx) // → { ok: true, status: 204 }
 * // → { ok: false, retryable: false, reason: 'webhook URL secret "DISCORD_URL" is not set' }
 */
export function chatKind<T extends string, D extends ChatDestinationConfig<T>>(
  type: T,
  schema: DestinationKind<D>["schema"],
  format: Format<D>,
): DestinationKind<D> {
  const render = (dest: D, ctx: RenderContext) => json(format(ctx.event, dest, templateFor(ctx), speechOf(ctx, dest)));
  return {
    type,
    schema,
    secrets: secretNamesOf,
    // The transcript's fetch is a second request within the attempt.
    sendsPerAttempt: (dest) => ((dest.transcript ?? 0) > 0 ? 2 : 1),
    render,
    async deliver(dest, ctx) {
      const url = ctx.secret(dest.webhook_url_secret);
      if (!url)
        return { ok: false, retryable: false, reason: `webhook URL secret "${dest.webhook_url_secret}" is not set` };
      return postJson(url, render(dest, await withTranscript(dest, ctx)).body, { timeoutMs: ctx.timeoutMs });
    },
  };
}
