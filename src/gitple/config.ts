/**
 * The valibot schema of `[vars.ROUTING.gitple]` (issue 10, exact names), for src/config to plug in
 * as the optional `gitple` key of ROUTING. Without the table the relay shows ids as they come.
 *
 *   [vars.ROUTING.gitple]
 *   api_secret = "GITPLE_API_SECRET"      # NAME of the secret holding the Open API secret
 *   api_url = "https://api.gitple.io/v1"  # default
 *   cache_ttl_seconds = 86400             # default; 60 .. 604800
 *   timeout_seconds = 3                   # default; 1 .. 10 (one budget for one event's lookups)
 *
 * Whether the named secret is set is checked where the environment is known (/health, validation).
 */
import * as v from "valibot";

export const DEFAULT_API_URL = "https://api.gitple.io/v1";
export const DEFAULT_CACHE_TTL_SECONDS = 86400;
export const MIN_CACHE_TTL_SECONDS = 60; // KV's shortest expirationTtl
export const MAX_CACHE_TTL_SECONDS = 604800;
export const DEFAULT_TIMEOUT_SECONDS = 3;

/** A Worker secret's name, as wrangler accepts it. */
const SECRET_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;

const wholeIn = (min: number, max: number) => {
  const message = `must be a whole number from ${min} to ${max}`;
  return v.pipe(v.number(message), v.integer(message), v.minValue(min, message), v.maxValue(max, message));
};

const KEYS = "api_secret, api_url, cache_ttl_seconds, timeout_seconds";

/** Messages for the table itself: a missing required key, an unknown key, not a table at all. */
function tableMessage(issue: v.BaseIssue<unknown>): string {
  if (issue.kind === "schema" && issue.received === "undefined" && issue.expected?.startsWith('"')) {
    return 'is required: the name of the secret holding the Open API secret, e.g. "GITPLE_API_SECRET"';
  }
  if (issue.expected === "never") return `unknown key (expected one of: ${KEYS})`;
  return `must be a table with ${KEYS}`;
}

export const gitpleConfigSchema = v.strictObject(
  {
    api_secret: v.pipe(
      v.string('must be the name of a secret, e.g. "GITPLE_API_SECRET"'),
      v.regex(
        SECRET_NAME,
        'must be the name of a secret (letters, digits, _), e.g. "GITPLE_API_SECRET", not its value',
      ),
    ),
    api_url: v.optional(
      v.pipe(
        v.string('must be a URL such as "https://api.gitple.io/v1"'),
        v.check(
          (u) => URL.canParse(u) && /^https?:$/.test(new URL(u).protocol),
          'must be an http(s) URL such as "https://api.gitple.io/v1"',
        ),
        v.check(
          (u) => !URL.canParse(u) || (new URL(u).username === "" && new URL(u).password === ""),
          "must not contain a user or password",
        ),
        v.transform((u) => u.replace(/\/+$/, "")),
      ),
      DEFAULT_API_URL,
    ),
    cache_ttl_seconds: v.optional(wholeIn(MIN_CACHE_TTL_SECONDS, MAX_CACHE_TTL_SECONDS), DEFAULT_CACHE_TTL_SECONDS),
    timeout_seconds: v.optional(wholeIn(1, 10), DEFAULT_TIMEOUT_SECONDS),
  },
  tableMessage,
);

/** `[vars.ROUTING.gitple]` after validation, defaults filled in. */
export type GitpleConfig = v.InferOutput<typeof gitpleConfigSchema>;

/**
 * Validates the table alone (src/config reports issues with their path, e.g. `gitple.timeout_seconds`).
 * @example
 *   parseGitpleConfig({ api_secret: "GITPLE_API_SECRET" })
 *   // → { success: true, output: { api_secret: "GITPLE_API_SECRET", api_url: "https://api.gitple.io/v1", cache_ttl_seconds: 86400, timeout_seconds: 3 } }
 */
export function parseGitpleConfig(input: unknown) {
  return v.safeParse(gitpleConfigSchema, input);
}
