/**
 * Typed reads of Worker secrets, so no module casts `env`. A secret counts
 * only when it is a non-empty string, taken verbatim: an empty value (or a
 * var of another type under the same name) reads as unset.
 *
 * Two kinds: the relay's own (GITPLE_SECRET, GITPLE_SECRET_PREVIOUS,
 * ADMIN_TOKEN), declared in src/env.d.ts and read by name with the compiler
 * checking it; and the ones a destination names in the routing config
 * (`webhook_url_secret = "SLACK_OPS_WEBHOOK_URL"`), which no type can list,
 * read by their configured name.
 */

export type RelaySecretName = keyof RelaySecrets;

const nonEmpty = (value: unknown): string | undefined =>
  typeof value === "string" && value.length > 0 ? value : undefined;

/**
 * One of the relay's own secrets, or undefined when unset or empty.
 *
 * @example
 * relaySecret(env, "ADMIN_TOKEN") // "3f…" or undefined
 */
export function relaySecret(env: RelaySecrets, name: RelaySecretName): string | undefined {
  return nonEmpty(env[name]);
}

/**
 * A secret named by the routing config, or undefined when unset or empty.
 *
 * @example
 * namedSecret(env, dest.webhook_url_secret) // "https://hooks.slack.com/…" or undefined
 */
export function namedSecret(env: object, name: string): string | undefined {
  return nonEmpty(Reflect.get(env, name));
}

/**
 * Whatever the Worker has under a name the routing config gives (a `send_email` binding), or undefined.
 *
 * @example
 * const binding = namedBinding(env, dest.binding); // check its shape before use
 */
export function namedBinding(env: object, name: string): unknown {
  return Reflect.get(env, name);
}
