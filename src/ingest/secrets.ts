/**
 * The signing secrets: `GITPLE_SECRET`, and `GITPLE_SECRET_PREVIOUS` while a
 * rotation is under way. A secret counts only when it is a non-empty string,
 * taken verbatim. Without `GITPLE_SECRET` the relay fails closed.
 */

/**
 * The secrets a signature may be made with, current first.
 *
 * @example
 * signingSecrets({ GITPLE_SECRET: "new", GITPLE_SECRET_PREVIOUS: "old" }) // ["new", "old"]
 */
export function signingSecrets(env: Env): string[] {
  const e = env as unknown as Record<string, unknown>;
  return [e.GITPLE_SECRET, e.GITPLE_SECRET_PREVIOUS].filter((s): s is string => typeof s === "string" && s.length > 0);
}

/** True when `GITPLE_SECRET` is set: the relay accepts nothing without it (the previous secret alone is not enough). */
export function hasSigningSecret(env: Env): boolean {
  const secret = (env as unknown as Record<string, unknown>).GITPLE_SECRET;
  return typeof secret === "string" && secret.length > 0;
}
