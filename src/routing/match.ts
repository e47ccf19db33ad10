/**
 * Rule matching: which destinations an event goes to, and why each rule did
 * or did not match (the verdicts feed the log and the dry-run CLI).
 *
 * Works only on a validated config. The event's facets become Sets once per
 * call; each config's rules are compiled once (a WeakMap keyed on the config)
 * (Sets for events and app codes), so routing against 1,000 rules is one
 * pass of Set lookups. Trade-off: the compiled form lives beside the public
 * `RoutingConfig` instead of in it, keeping the config plain data.
 */
import type { EventView } from "../event/view.ts";
import type { Resolution } from "../gitple/resolve.ts";
import { customerMeta, type Facets, matchableFacets } from "./by-name.ts";
import type { RouteDecision, RoutedDestination, RoutingConfig, Rule, RuleVerdict, SetCondition } from "./types.ts";

type Facet = "tags" | "categories" | "groups";

export type { Facets };

/** A rule's condition on one facet, with the names `RuleVerdict.failed` reports. */
interface FacetCheck extends SetCondition {
  readonly facet: Facet;
  readonly absent: string;
}

interface CompiledRule {
  readonly rule: Rule;
  readonly events?: ReadonlySet<string>;
  readonly appCodes?: ReadonlySet<string>;
  readonly facets: readonly FacetCheck[];
  readonly meta?: readonly [key: string, values: ReadonlySet<string>][];
}

const FACETS: readonly Facet[] = ["tags", "categories", "groups"];
const SESSION_TYPES: ReadonlySet<string> = new Set([
  "session_state_open",
  "session_state_inprogress",
  "session_state_close",
]);
const MESSAGE_TYPE = "send_external_message";
const EMPTY: ReadonlySet<string> = new Set();
const compiled = new WeakMap<RoutingConfig, readonly CompiledRule[]>();

function toSet(list: unknown): ReadonlySet<string> {
  return Array.isArray(list) ? new Set(list) : EMPTY;
}

/**
 * Where an event's lists come from, by its type (Gitple's event API): the
 * session events read `session.tags`, `session.categories` and
 * `session.userGroups` (missing lists, or a missing session, count as empty);
 * `send_external_message` reads the customer's `to.tags` and `to.groups` and
 * has no categories. A type Gitple adds later is read by its shape: its
 * session if it has one, else its recipient (then without categories).
 * Exported for the route CLI, which shows what an event had when a condition failed.
 *
 * @example
 * facetsOf(viewEvent({ type: "send_external_message", triggerId: "t", to: { tags: ["5cc7f4000000000000000001"] } }))
 * // → { tags: Set {"5cc7f4000000000000000001"}, categories: undefined, groups: Set {} }
 */
export function facetsOf(event: EventView): Facets {
  const bySession = SESSION_TYPES.has(event.type) || (event.type !== MESSAGE_TYPE && event.session !== undefined);
  if (bySession) {
    const session = event.session;
    return { tags: toSet(session?.tags), categories: toSet(session?.categories), groups: toSet(session?.userGroups) };
  }
  return { tags: toSet(event.to?.tags), categories: undefined, groups: toSet(event.to?.groups) };
}

function compile(rule: Rule): CompiledRule {
  const facets: FacetCheck[] = [];
  for (const facet of FACETS) {
    const condition = rule[facet];
    if (condition) facets.push({ ...condition, facet, absent: `${facet} (event has no ${facet})` });
  }
  return {
    rule,
    events: rule.events && new Set(rule.events),
    appCodes: rule.app_codes && new Set(rule.app_codes),
    facets,
    meta: rule.meta && Object.entries(rule.meta).map(([key, values]) => [key, new Set(values)] as const),
  };
}

function countPresent(present: ReadonlySet<string>, values: readonly string[]): number {
  let count = 0;
  for (const value of values) if (present.has(value)) count++;
  return count;
}

/** The first condition of the rule that does not hold, in `RuleVerdict.failed` terms; undefined = it matches. */
function firstFailure(
  rule: CompiledRule,
  event: EventView,
  facets: Facets,
  meta: () => Readonly<Record<string, string>> | undefined,
): string | undefined {
  if (rule.events && !rule.events.has(event.type)) return "events";
  if (rule.appCodes && (event.appCode === undefined || !rule.appCodes.has(event.appCode))) return "app_codes";
  for (const { facet, absent, any, all, none } of rule.facets) {
    const present = facets[facet];
    if (present === undefined) return absent;
    if (any && countPresent(present, any) === 0) return `${facet}.any`;
    if (all && countPresent(present, all) < all.length) return `${facet}.all`;
    if (none && countPresent(present, none) > 0) return `${facet}.none`;
  }
  if (rule.meta) {
    const known = meta();
    if (known === undefined) return "meta (the customer's meta is not known)";
    for (const [key, values] of rule.meta) {
      if (!Object.hasOwn(known, key) || !values.has(known[key] as string)) return `meta.${key}`;
    }
  }
  return undefined;
}

function compiledRules(config: RoutingConfig): readonly CompiledRule[] {
  let rules = compiled.get(config);
  if (!rules) {
    rules = config.rules.map(compile);
    compiled.set(config, rules);
  }
  return rules;
}

/**
 * Routes an event: every rule in order (until a matching `stop` rule), the
 * union of the matched rules' destinations, or the fallback when none matched.
 * With `names` (issue 10) a tags/categories/groups value matches an id or the
 * name it resolves to, a category also matches its descendants, and `meta`
 * reads the customer's meta (by-name.ts); without it, ids alone.
 *
 * @example
 * route(config, viewEvent({ type: "session_state_close", triggerId: "t1", session: { tags: ["5cc7a1000000000000000001"] } }), names)
 * // → { destinations: [{ name: "vip-slack", rules: ["vip session closes"] }],
 * //     rules: [{ name: "vip session closes", matched: true }, { name: "billing", matched: false, failed: "categories.any" }],
 * //     fallback: false }
 */
export function route(config: RoutingConfig, event: EventView, names?: Resolution): RouteDecision {
  const facets = names === undefined ? facetsOf(event) : matchableFacets(facetsOf(event), names);
  let meta: Readonly<Record<string, string>> | undefined | null = null;
  const metaOnce = () => {
    if (meta === null) meta = customerMeta(event, facets.categories !== undefined, names);
    return meta;
  };
  const verdicts: RuleVerdict[] = [];
  const sentBy = new Map<string, string[]>();
  let stopped: string | undefined;
  for (const compiledRule of compiledRules(config)) {
    const rule = compiledRule.rule;
    if (stopped !== undefined) {
      verdicts.push({ name: rule.name, matched: false, failed: stopped });
      continue;
    }
    const failed = firstFailure(compiledRule, event, facets, metaOnce);
    if (failed !== undefined) {
      verdicts.push({ name: rule.name, matched: false, failed });
      continue;
    }
    verdicts.push({ name: rule.name, matched: true });
    for (const name of rule.destinations) {
      const rules = sentBy.get(name);
      if (!rules) sentBy.set(name, [rule.name]);
      else if (rules[rules.length - 1] !== rule.name) rules.push(rule.name);
    }
    if (rule.stop) stopped = `not evaluated (stopped by ${JSON.stringify(rule.name)})`;
  }
  if (sentBy.size === 0) {
    const destinations: RoutedDestination[] = [...new Set(config.fallback)].map((name) => ({ name, rules: [] }));
    return { destinations, rules: verdicts, fallback: true };
  }
  const destinations = [...sentBy].map(([name, rules]): RoutedDestination => ({ name, rules }));
  return { destinations, rules: verdicts, fallback: false };
}
