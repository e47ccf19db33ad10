/**
 * The config pieces every layer shares: the table guard, the template schema,
 * the limits, and the secret-name conventions. Destination kinds build their
 * schemas from these; the routing schema (./schema.ts) does too.
 *
 * A leaf: it imports nothing of ours (only valibot), so any kind can import
 * it without a cycle. Trade-off: secret fields are found by convention (a
 * field named `*_secret` holds the name of a Worker secret, as does a
 * `headers` value `{ secret = "NAME" }`) instead of being declared per kind,
 * so a new kind needs no secret code and the validator can check secrets even
 * when other fields of that destination are wrong; no kind may use the
 * suffix for anything else.
 */
import * as v from "valibot";

export const NOT_A_TABLE = "must be an object (a TOML table)";

/** How long the relay keeps what it stores about a delivery (claims, dead letters, payload copies): 30 days. */
export const RETENTION_SECONDS = 30 * 24 * 3600;

/** Dedup keys (and the delivery index, kept at least as long) never outlive the claims' 30-day record. */
export const MAX_DEDUP_TTL_SECONDS = RETENTION_SECONDS;

/** The queue's longest delay (Cloudflare Queues: `delaySeconds` ≤ 43200). */
export const MAX_QUEUE_DELAY_SECONDS = 43200;

/** A destination's name in `[vars.ROUTING.destinations.<name>]`: it is part of dead-letter ids and admin URLs. */
export const DESTINATION_NAME = /^[A-Za-z0-9_-]{1,128}$/;

/** A Worker secret's name, as `wrangler secret put` accepts it. */
export const SECRET_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** An operator's wording for a message (issue 3 fills in the placeholders). */
export interface Template {
  readonly title?: string;
  readonly text?: string;
}

/** A table: a non-null, non-list object. */
export function isTable(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Only a table (a non-list object) reaches `schema`: valibot's object schemas
 * would read a list as a table with keys "0", "1", ….
 *
 * @example
 * v.safeParse(table(v.strictObject({})), []) // → issue "must be an object (a TOML table)"
 */
export function table<S extends v.GenericSchema>(schema: S) {
  return v.pipe(v.custom<unknown>(isTable, NOT_A_TABLE), schema);
}

/** Wording override for a message; rules and every destination kind but the webhook accept one. */
export const templateSchema = table(v.strictObject({ title: v.optional(v.string()), text: v.optional(v.string()) }));

/**
 * The `[field, secret name]` pairs of a destination, validated or raw: every
 * string field whose name ends in `_secret`, and every `headers` value of the
 * form `{ secret = "NAME" }` (field `headers.<name>`).
 *
 * @example
 * secretFieldsOf({ type: "slack", webhook_url_secret: "SLACK_OPS_URL" }) // → [["webhook_url_secret", "SLACK_OPS_URL"]]
 * secretFieldsOf({ type: "webhook", url_secret: "ERP_URL", headers: { Authorization: { secret: "ERP_TOKEN" } } })
 * // → [["url_secret", "ERP_URL"], ["headers.Authorization", "ERP_TOKEN"]]
 */
export function secretFieldsOf(destination: object): [field: string, name: string][] {
  const out: [string, string][] = [];
  for (const [field, name] of Object.entries(destination)) {
    if (field.endsWith("_secret") && typeof name === "string") out.push([field, name]);
  }
  const headers: unknown = (destination as { headers?: unknown }).headers;
  if (isTable(headers)) {
    for (const [header, value] of Object.entries(headers)) {
      const name: unknown = isTable(value) ? value.secret : undefined;
      if (typeof name === "string") out.push([`headers.${header}`, name]);
    }
  }
  return out;
}

/**
 * Names of the Worker secrets a destination reads when it sends.
 *
 * @example
 * secretNamesOf({ type: "slack", webhook_url_secret: "SLACK_OPS_URL", include_contact: false }) // → ["SLACK_OPS_URL"]
 */
export function secretNamesOf(destination: object): string[] {
  return secretFieldsOf(destination).map(([, name]) => name);
}

/** The most messages a close notice may carry (`transcript = 1 .. 200`; Gitple's transcript fetch agrees). */
export const MAX_TRANSCRIPT_MESSAGES = 200;

const TRANSCRIPT = `must be a whole number from 0 (off) to ${MAX_TRANSCRIPT_MESSAGES}`;

/** `transcript = <N>`: on a session close, the session's last N messages; 0 (the default) is off. */
export const transcriptSchema = v.pipe(
  v.number(TRANSCRIPT),
  v.integer(TRANSCRIPT),
  v.minValue(0, TRANSCRIPT),
  v.maxValue(MAX_TRANSCRIPT_MESSAGES, TRANSCRIPT),
);
