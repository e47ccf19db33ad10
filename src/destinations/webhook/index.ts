/**
 * The outgoing webhook destination kind. Delivers one event: the body from
 * format.ts (its `render`), the
 * configured headers (secret-valued ones read now), and, when
 * `signing_secret` is set, `X-Hub-Signature: sha256=<hex>` over the exact
 * bytes sent, the scheme Gitple itself uses, so a receiver can check the
 * relay's calls with the verifier it has for Gitple's.
 *
 * Trade-off: the envelope's `deliveredAt` is the time of each attempt, so a
 * retried delivery has a new body and a new signature; receivers dedup on
 * the event's `triggerId`, never on the body's hash. A missing secret or a
 * secret holding an unsendable header value fails for good, since retrying
 * cannot fix either; the reason names the secret, never its value.
 */
import { secretNamesOf } from "../../config/shared.ts";
import { speechOf } from "../../format/speech.ts";
import { signBody } from "../../lib/hmac.ts";
import type { DestinationKind, RenderContext, Rendered, SendContext, SendOutcome } from "../contract.ts";
import { postJson } from "../http.ts";
import { withTranscript } from "../transcript/fetch.ts";
import { type SecretHeader, type WebhookDestinationConfig, webhookProblems, webhookSchema } from "./config.ts";
import { webhookBody } from "./format.ts";

/**
 * The body as sent; the envelope's `deliveredAt` is `ctx.now` (the attempt's
 * time, or the preview's). The headers (configured ones may be secrets, the
 * signature needs one) are added when it is sent, and not shown.
 */
function render(dest: WebhookDestinationConfig, ctx: RenderContext): Rendered {
  const body = webhookBody(dest, {
    raw: ctx.raw,
    destination: ctx.destination,
    rules: ctx.rules,
    now: ctx.now ?? new Date(),
    ...(dest.body === "envelope" && envelopeExtras(dest, ctx)),
  });
  return { contentType: "application/json", headers: {}, body };
}

/** Names and the transcript go into the envelope only: `body = "event"` stays Gitple's bytes. */
function envelopeExtras(dest: WebhookDestinationConfig, ctx: RenderContext) {
  const speech = speechOf(ctx, dest);
  return { ...(speech.names && { names: speech.names }), ...(speech.transcript && { transcript: speech.transcript }) };
}

export const webhookKind: DestinationKind<WebhookDestinationConfig> = {
  type: "webhook",
  schema: webhookSchema,
  problems: webhookProblems,
  secrets: secretNamesOf,
  sendsPerAttempt: (dest) => (dest.body === "envelope" && (dest.transcript ?? 0) > 0 ? 2 : 1),
  render,
  deliver: sendWebhook,
};

/**
 * @example
 * await webhookKind.deliver({ type: "webhook", url_secret: "ERP_URL", body: "event", signing_secret: "ERP_SIGNING" }, ctx)
 * // → { ok: true, status: 200 }
 * // → { ok: false, retryable: false, reason: 'signing secret "ERP_SIGNING" is not set' }
 */
async function sendWebhook(dest: WebhookDestinationConfig, ctx: SendContext): Promise<SendOutcome> {
  const url = ctx.secret(dest.url_secret);
  if (!url) return fail(`URL secret "${dest.url_secret}" is not set`);
  const headers = resolveHeaders(dest, ctx.secret);
  if (typeof headers === "string") return fail(headers);
  const { body } = render(dest, dest.body === "envelope" ? await withTranscript(dest, ctx) : ctx);
  if (dest.signing_secret !== undefined) {
    const key = ctx.secret(dest.signing_secret);
    if (!key) return fail(`signing secret "${dest.signing_secret}" is not set`);
    headers.set("x-hub-signature", await signBody(key, body));
  }
  return postJson(url, body, { timeoutMs: ctx.timeoutMs, headers: Object.fromEntries(headers) });
}

/** The configured headers, secret-valued ones read now; a string is why they cannot be sent. */
function resolveHeaders(
  dest: WebhookDestinationConfig,
  secret: (name: string) => string | undefined,
): Headers | string {
  const headers = new Headers();
  for (const [name, value] of Object.entries(dest.headers ?? {})) {
    const text = typeof value === "string" ? value : secret(value.secret);
    if (text === undefined) return `header "${name}": secret "${(value as SecretHeader).secret}" is not set`;
    // A secret may hold anything; a line break or a non-Latin-1 character would make fetch throw.
    if (!/^[\t\x20-\x7e\x80-\xff]*$/.test(text)) return `header "${name}": its value cannot be sent in a header`;
    headers.set(name, text);
  }
  return headers;
}

function fail(reason: string): SendOutcome {
  return { ok: false, retryable: false, reason };
}
