/**
 * The send step every chat kind shares: read the webhook URL from the secret
 * the destination names, pick the template (first matched rule with one,
 * else the destination's), format, POST through http.ts so the retry table
 * is the same for every kind.
 *
 * Trade-off: the webhook URL is a secret (anyone holding it can post to the
 * channel), so no reason or log line carries it; a missing secret fails for
 * good, since retrying cannot set it.
 */
import type { EventView } from "../../event/view.ts";
import { pickTemplate } from "../../format/template.ts";
import type { Template } from "../../routing/types.ts";
import type { SendContext, SendOutcome } from "../contract.ts";
import { postJson } from "../http.ts";
import type { ChatDestinationConfig } from "./config.ts";

/**
 * @example
 * await sendChat(dest, ctx, formatDiscord)
 * // → { ok: true, status: 204 }
 * // → { ok: false, retryable: false, reason: 'webhook URL secret "DISCORD_URL" is not set' }
 */
export async function sendChat<D extends ChatDestinationConfig<string>>(
  dest: D,
  ctx: SendContext,
  format: (event: EventView, dest: D, template?: Template) => unknown,
): Promise<SendOutcome> {
  const url = ctx.secret(dest.webhook_url_secret);
  if (!url)
    return { ok: false, retryable: false, reason: `webhook URL secret "${dest.webhook_url_secret}" is not set` };
  const payload = format(ctx.event, dest, pickTemplate(ctx.config, ctx.destination, ctx.rules));
  return postJson(url, JSON.stringify(payload), { timeoutMs: ctx.timeoutMs });
}
