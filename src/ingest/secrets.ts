/**
 * The signing secrets: `GITPLE_SECRET`, and `GITPLE_SECRET_PREVIOUS` while a
 * rotation is under way. A secret counts only when it is a non-empty string,
 * taken verbatim (src/lib/secrets.ts). Without `GITPLE_SECRET` the relay fails closed.
 */
import { relaySecret } from "../lib/secrets.ts";

/**
 * The secrets a signature may be made with, current first.
 *
 * @example
 * signingSecrets({ GITPLE_SECRET: "new", GITPLE_SECRET_PREVIOUS: "old" }) // ["new", "old"]
 */
export function signingSecrets(env: RelaySecrets): string[] {
  return [relaySecret(env, "GITPLE_SECRET"), relaySecret(env, "GITPLE_SECRET_PREVIOUS")].filter(
    (s): s is string => s !== undefined,
  );
}

/** True when `GITPLE_SECRET` is set: the relay accepts nothing without it (the previous secret alone is not enough). */
export function hasSigningSecret(env: RelaySecrets): boolean {
  return relaySecret(env, "GITPLE_SECRET") !== undefined;
}
