/**
 * The Worker's own secrets, added to the `Env` that `wrangler types` writes
 * (worker-configuration.d.ts). They are set with `wrangler secret put NAME`,
 * never in wrangler.toml, so the generator cannot see them; each is optional
 * because a deployment may lack any of them (the relay then fails closed, or
 * turns the admin API off). Read them through src/lib/secrets.ts, which also
 * reads the secrets that destinations name in the routing config.
 *
 * Keep `wrangler types` free of a .dev.vars file: secrets found there would
 * be generated as required strings and clash with these optional ones.
 */
interface RelaySecrets {
  /** Gitple's webhook signing secret: without it every event is refused (500). */
  readonly GITPLE_SECRET?: string;
  /** The previous signing secret, accepted too while a rotation is under way. */
  readonly GITPLE_SECRET_PREVIOUS?: string;
  /** Turns the admin API on: `Authorization: Bearer <ADMIN_TOKEN>`. */
  readonly ADMIN_TOKEN?: string;
}

interface Env extends RelaySecrets {}

declare namespace Cloudflare {
  interface Env extends RelaySecrets {}
}
