/**
 * The destination registry: the union of every kind's config, the schema that
 * picks a kind by its `type`, and the Worker secrets a destination needs.
 *
 * Adding a kind = one `src/destinations/<kind>/config.ts` (its schema and
 * type) + its line in `DestinationConfig` and in `KINDS` below (+ a line in
 * `destinationProblems` if its fields constrain each other, in
 * `bindingProblems` if it sends through a Worker binding). Trade-off:
 * secret fields are found by convention (a field named `*_secret` holds the
 * name of a Worker secret) instead of being declared per kind, so a new kind
 * needs no secret code and the routing validator can check secrets even when
 * other fields of that destination are wrong; no kind may use the suffix for
 * anything else. The one other convention: a `headers` table value
 * `{ secret = "NAME" }` (the webhook's) names a secret too. The schema pieces kinds and the routing schema share
 * (`table`, `templateSchema`) live here too, since a kind must not import the
 * routing schema (that import would be a cycle).
 */
import * as v from "valibot";
import { type DiscordDestinationConfig, discordSchema } from "./discord/config.ts";
import { type EmailDestinationConfig, emailProblems, emailSchema } from "./email/config.ts";
import { type GoogleChatDestinationConfig, googleChatSchema } from "./google-chat/config.ts";
import { type SlackDestinationConfig, slackSchema } from "./slack/config.ts";
import { type TeamsDestinationConfig, teamsSchema } from "./teams/config.ts";
import { type WebhookDestinationConfig, webhookSchema } from "./webhook/config.ts";

export type DestinationConfig =
  | SlackDestinationConfig
  | WebhookDestinationConfig
  | DiscordDestinationConfig
  | TeamsDestinationConfig
  | GoogleChatDestinationConfig
  | EmailDestinationConfig;

export const NOT_A_TABLE = "must be an object (a TOML table)";

function isTable(value: unknown): boolean {
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

/** Wording override for a message; rules and every destination kind accept one. */
export const templateSchema = table(v.strictObject({ title: v.optional(v.string()), text: v.optional(v.string()) }));

/** A kind's own schema plus the fields every kind shares. */
function withCommon<E extends v.ObjectEntries>(kind: v.StrictObjectSchema<E, undefined>) {
  return v.strictObject({ ...kind.entries, template: v.optional(templateSchema) });
}

// The webhook takes no `template` (it posts data); its schema refuses one with a message saying so.
const KINDS = [
  withCommon(slackSchema),
  webhookSchema,
  withCommon(discordSchema),
  withCommon(teamsSchema),
  withCommon(googleChatSchema),
  withCommon(emailSchema),
] as const;

/** Every destination `type`, in registry order: `["slack", "webhook", "discord", "teams", "google-chat", "email"]`. */
export const DESTINATION_TYPES: readonly string[] = KINDS.map((kind) => kind.entries.type.literal);

/** A Worker secret's name, as `wrangler secret put` accepts it. */
export const SECRET_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** One destination: the kind named by `type`, then that kind's strict schema. */
export const destinationSchema: v.GenericSchema<unknown, DestinationConfig> = table(
  v.variant("type", KINDS, (issue) => {
    const expected = `(expected one of: ${DESTINATION_TYPES.join(", ")})`;
    return issue.input === undefined
      ? `is required ${expected}`
      : `unknown destination type ${issue.received} ${expected}`;
  }),
);

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
    for (const [header, value] of Object.entries(headers as object)) {
      const name: unknown = isTable(value) ? (value as { secret?: unknown }).secret : undefined;
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
export function secretNamesOf(destination: DestinationConfig): string[] {
  return secretFieldsOf(destination).map(([, name]) => name);
}

/**
 * Rules between a destination's fields that its kind's schema cannot see
 * (there each field is checked alone), on the raw table, as `<at>.<field>:
 * message`; the routing validator reports them with the schema's problems.
 *
 * @example
 * destinationProblems("destinations.mail", { type: "email", provider: "resend", … })
 * // → ['destinations.mail.api_key_secret: is required when provider = "resend"']
 */
export function destinationProblems(at: string, destination: Readonly<Record<string, unknown>>): string[] {
  return destination.type === "email" ? emailProblems(at, destination) : [];
}

/**
 * The Worker bindings the destinations send through that `isBound` does not
 * find, one problem each: a Cloudflare email destination's `send_email`
 * binding. Bindings live in wrangler.toml, not in Cloudflare's secret store,
 * so this runs where the Worker's env is known (src/routing/load.ts).
 *
 * @example
 * bindingProblems({ mail: { type: "email", provider: "cloudflare", binding: "EMAIL", … } }, () => false)
 * // → ['destinations.mail.binding: send_email binding "EMAIL" is not configured (add [[send_email]] name = "EMAIL" to wrangler.toml)']
 */
export function bindingProblems(
  destinations: Readonly<Record<string, DestinationConfig>>,
  isBound: (name: string) => boolean,
): string[] {
  const problems: string[] = [];
  for (const [name, d] of Object.entries(destinations)) {
    if (d.type === "email" && d.provider === "cloudflare" && !isBound(d.binding)) {
      problems.push(
        `destinations.${name}.binding: send_email binding "${d.binding}" is not configured (add [[send_email]] name = "${d.binding}" to wrangler.toml)`,
      );
    }
  }
  return problems;
}
