/**
 * Outgoing webhook config: POST the event as JSON to the operator's own
 * system. The URL lives in the secret named by `url_secret`; `signing_secret`
 * names the secret to sign with; a `headers` value is a string, or
 * `{ secret = "NAME" }` to take it from a Worker secret (an API key has no
 * place in wrangler.toml). src/config/shared.ts finds those secret names
 * (src/config/check.ts validates them) and lists them with the others.
 *
 * Templates do not apply: a webhook carries data, not wording, so `template`
 * is refused with a message that says so instead of being silently ignored.
 * Header names the relay sets itself (`Content-Type`, `X-Hub-Signature`) or
 * that only the runtime may set are refused, so config cannot break the
 * signature or the body's type.
 */
import * as v from "valibot";
import { isTable, NOT_A_TABLE, transcriptSchema } from "../../config/shared.ts";

/** A header value taken from a Worker secret. */
export interface SecretHeader {
  readonly secret: string;
}

export interface WebhookDestinationConfig {
  readonly type: "webhook";
  /** Name of the Worker secret (or var) holding the receiver's URL. */
  readonly url_secret: string;
  /** `event`: the Gitple payload byte for byte; `envelope`: `{ event, rule, destination, deliveredAt }`. */
  readonly body: "event" | "envelope";
  /** Name of the Worker secret to sign the body with (`X-Hub-Signature: sha256=…`), as Gitple does. */
  readonly signing_secret?: string;
  readonly headers?: Readonly<Record<string, string | SecretHeader>>;
  /** `body = "envelope"` only: on a session close, the envelope adds `"transcript"` (the last N messages, 1 .. 200, as Gitple returned them). */
  readonly transcript?: number;
  /** Never set: templates do not apply to webhooks (the schema refuses one). */
  readonly template?: undefined;
}

/** RFC 9110 §5.1: a field name is a token. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** Printable ASCII and tabs: no line break can split a header, no byte needs an encoding. */
const HEADER_VALUE = /^[\t\x20-\x7e]*$/;

/** Headers the relay sets itself, or that the runtime owns; lower case. */
export const RESERVED_HEADERS: ReadonlySet<string> = new Set([
  "content-type",
  "x-hub-signature",
  "content-length",
  "content-encoding",
  "transfer-encoding",
  "host",
  "connection",
]);

const headerName = v.pipe(
  v.string(),
  v.regex(HEADER_NAME, (issue) => `invalid header name ${JSON.stringify(issue.input)}`),
  v.check(
    (name) => !RESERVED_HEADERS.has(name.toLowerCase()),
    (issue) => `header ${JSON.stringify(issue.input)} is set by the relay and cannot be configured`,
  ),
);

const HEADER_VALUE_TYPE = 'must be a string or { secret = "NAME" }';

const headerValue = v.union(
  [
    v.pipe(v.string(), v.regex(HEADER_VALUE, "must be printable ASCII on one line")),
    v.pipe(
      v.custom<unknown>((x) => typeof x === "object" && x !== null && !Array.isArray(x), HEADER_VALUE_TYPE),
      v.strictObject({ secret: v.string() }),
    ),
  ],
  HEADER_VALUE_TYPE,
);

/** The webhook's own fields; every field ending in `_secret`, and every `{ secret }` header, names a Worker secret. */
export const webhookSchema = v.strictObject({
  type: v.literal("webhook"),
  url_secret: v.string(),
  body: v.optional(v.picklist(["event", "envelope"], 'must be "event" or "envelope"'), "event"),
  signing_secret: v.optional(v.string()),
  headers: v.optional(v.pipe(v.custom<unknown>(isTable, NOT_A_TABLE), v.record(headerName, headerValue))),
  transcript: v.optional(transcriptSchema),
  template: v.optional(v.never("templates do not apply to webhooks (a webhook posts data, not wording)")),
});

/**
 * `transcript` needs the envelope: `body = "event"` posts Gitple's payload byte for byte, with no
 * room for anything else.
 * @example webhookProblems("destinations.erp", { body: "event", transcript: 5 }) // → ['destinations.erp.transcript: …']
 */
export function webhookProblems(at: string, raw: Readonly<Record<string, unknown>>): string[] {
  const wants = typeof raw.transcript === "number" && raw.transcript > 0;
  return wants && raw.body !== "envelope"
    ? [
        `${at}.transcript: needs body = "envelope" (body = "event" posts Gitple's payload byte for byte, so it cannot carry a transcript)`,
      ]
    : [];
}
