/**
 * The one place that names digest objects: one DigestState per digest name
 * (src/digests/object.ts). It imports nothing: the stub's type comes from the
 * DIGESTS binding (worker-configuration.d.ts), so the session objects can count
 * timer firings here without an import cycle through the config.
 */

/**
 * @example
 * await digestFor(env, "daily").note("daily", { kind: "open", at: Date.now() });
 */
export function digestFor(env: Pick<Env, "DIGESTS">, name: string) {
  return env.DIGESTS.get(env.DIGESTS.idFromName(name));
}
