/**
 * Names for routing and messages (issue 10): one event's ids resolved through the Gitple Open API
 * (src/gitple) for ingest and for the consumer of a deferred event, so both do it one way.
 *
 * When names are looked up: only with `[vars.ROUTING.gitple]` set, its secret set and an `appCode`
 * on the event (the `app-code` header). Then every id of the event is resolved, within one
 * `timeout_seconds` budget, at most 6 requests in flight: the messages show every name (tags,
 * categories, groups, customer, agent), and resolving once at ingest lets every destination's
 * message carry the same names. With warm caches this makes no request.
 *
 * When routing waits for names: only when a rule that could match this event (its `events` and
 * `app_codes` allow it) has a condition that could need a missing name (`needsNames`): a
 * tags/groups value that is not an id, any categories condition (descendants match through the
 * parents), a `meta` condition on a session event (the user's meta). Then a lookup that Gitple
 * did not answer in time (or answered 429/5xx) defers routing; a 401 never does (ids it is).
 */
import type { EventView } from "../event/view.ts";
import { NameCache } from "../gitple/cache.ts";
import type { NameKind } from "../gitple/kinds.ts";
import { eventIds } from "../gitple/names.ts";
import { type Resolution, resolveNames } from "../gitple/resolve.ts";
import { namedSecret } from "../lib/secrets.ts";
import type { RoutingConfig } from "./types.ts";

/** A Gitple id as the Open API hands them out (24 hex digits); anything else in a rule may be a name. */
const GITPLE_ID = /^[0-9a-f]{24}$/i;
const SESSION_TYPES = new Set(["session_state_open", "session_state_inprogress", "session_state_close"]);

/** Everything needed to resolve an event's names, or undefined when names are off for it. */
export interface NameLookup {
  readonly resolve: () => Promise<Resolution>;
}

/**
 * @example
 *   const lookup = nameLookup(env, config, raw, view, (p) => ctx.waitUntil(p));
 *   const names = lookup && (await lookup.resolve());
 */
export function nameLookup(
  env: Pick<Env, "RELAY_STATE">,
  config: RoutingConfig,
  raw: unknown,
  view: EventView,
  defer?: (write: Promise<unknown>) => void,
): NameLookup | undefined {
  const gitple = config.gitple;
  if (gitple === undefined || view.appCode === undefined) return undefined;
  const secret = namedSecret(env, gitple.api_secret);
  if (secret === undefined) return undefined;
  const appCode = view.appCode;
  return {
    resolve: () =>
      resolveNames(eventIds(raw), {
        conn: { apiUrl: gitple.api_url, appCode, secret },
        cache: new NameCache({
          kv: env.RELAY_STATE,
          ttlSeconds: gitple.cache_ttl_seconds,
          ...(defer ? { defer } : {}),
        }),
        budgetMs: gitple.timeout_seconds * 1000,
      }),
  };
}

/**
 * The kinds of id whose names a rule that could match this event may need (see the header).
 * @example needsNames(config, view) // → Set { "sessionTags", "categories" }
 */
export function needsNames(config: RoutingConfig, view: EventView): ReadonlySet<NameKind> {
  const bySession =
    SESSION_TYPES.has(view.type) || (view.type !== "send_external_message" && view.session !== undefined);
  const kinds = new Set<NameKind>();
  const byName = (c: { any?: readonly string[]; all?: readonly string[]; none?: readonly string[] } | undefined) =>
    c !== undefined && [...(c.any ?? []), ...(c.all ?? []), ...(c.none ?? [])].some((v) => !GITPLE_ID.test(v));
  for (const rule of config.rules) {
    if (rule.events && !rule.events.includes(view.type)) continue;
    if (rule.app_codes && (view.appCode === undefined || !rule.app_codes.includes(view.appCode))) continue;
    if (byName(rule.tags)) kinds.add(bySession ? "sessionTags" : "userTags");
    if (byName(rule.groups)) kinds.add("userGroups");
    if (rule.categories && bySession) kinds.add("categories");
    if (rule.meta && bySession) kinds.add("users");
  }
  return kinds;
}

/**
 * Whether routing must wait: Gitple was unavailable for an id of a kind routing needs.
 * @example mustDefer(res, new Set(["sessionTags"])) // true when a session tag is pending and Gitple timed out
 */
export function mustDefer(res: Resolution, needed: ReadonlySet<NameKind>): boolean {
  return res.unavailable && res.unauthorized === null && res.pending.some((p) => needed.has(p.kind));
}

/** Names in a queue message stay well under its 128 KB (the event body travels beside them). */
export const MAX_NAMES_BYTES = 24 * 1024;
const encoder = new TextEncoder();

/**
 * What travels to delivery: the names and category paths (no call count, no unknown list: an
 * unknown id shows as itself). Too large (a customer with huge meta): the users' meta is dropped
 * first, then everything (messages show ids).
 * @example compactNames(res) // → { names, categoryPaths, unknown: [], pending, unavailable, unauthorized, calls: 0 }
 */
export function compactNames(res: Resolution): Resolution | undefined {
  const compact: Resolution = { ...res, unknown: [], calls: 0 };
  if (fits(compact)) return compact;
  const users = Object.fromEntries(Object.entries(res.names.users).map(([id, u]) => [id, { ...u, meta: {} }]));
  const smaller: Resolution = { ...compact, names: { ...res.names, users } };
  return fits(smaller) ? smaller : undefined;
}

function fits(res: Resolution): boolean {
  return encoder.encode(JSON.stringify(res)).byteLength <= MAX_NAMES_BYTES;
}
