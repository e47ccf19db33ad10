/**
 * Rules by name (issue 10): what an event's lists match once its ids are resolved, and the
 * customer's meta for the `meta` condition.
 *
 * - `tags`, `categories`, `groups`: a rule value matches an id equal to it OR the name that id
 *   resolves to, so `tags = { any = ["VIP"] }` and `tags = { any = ["5cc7a1…"] }` both match.
 * - `categories` also matches ancestors' ids and names (categoryLineage), so a rule on `배송`
 *   matches an event whose category is `택배 분실` (배송 › 분실 › 택배 분실).
 * - `meta`: `to.meta` for a recipient-shaped event (send_external_message), the user's meta from
 *   `/exports/users/:id` for a session event (undefined while the user is not resolved).
 *
 * Trade-off: names and ids share one set per facet. A name that happens to equal another
 * tag's id would match both; Gitple ids are 24 hex digits, which no one names a tag.
 */
import type { EventView } from "../event/view.ts";
import { categoryLineage } from "../gitple/names.ts";
import type { Resolution } from "../gitple/resolve.ts";

/** The event's values per facet; `undefined` = the event has no such facet (messages have no categories). */
export type Facets = Record<"tags" | "categories" | "groups", ReadonlySet<string> | undefined>;

/**
 * The facets with every resolved name (and, for categories, every ancestor's id and name) added.
 * `facets.categories === undefined` marks a recipient-shaped event: its tags are user tags.
 * @example
 *   matchableFacets({ tags: new Set([vipId]), categories: new Set([lostId]), groups: new Set() }, res)
 *   // → { tags: {vipId, "VIP"}, categories: {deliveryId, "배송", lostId, "분실"}, groups: {} }
 */
export function matchableFacets(facets: Facets, names: Resolution): Facets {
  const bySession = facets.categories !== undefined;
  const withNames = (ids: ReadonlySet<string> | undefined, kind: "sessionTags" | "userTags" | "userGroups") => {
    if (ids === undefined) return undefined;
    const out = new Set(ids);
    for (const id of ids) {
      const name = names.names[kind][id]?.name;
      if (name !== undefined) out.add(name);
    }
    return out;
  };
  let categories: Set<string> | undefined;
  if (facets.categories !== undefined) {
    categories = new Set(facets.categories);
    for (const id of facets.categories) {
      for (const step of categoryLineage(names, id)) categories.add(step.id).add(step.name);
    }
  }
  return {
    tags: withNames(facets.tags, bySession ? "sessionTags" : "userTags"),
    categories,
    groups: withNames(facets.groups, "userGroups"),
  };
}

/**
 * The customer's meta for the `meta` condition, or undefined when it is not known.
 * @example customerMeta(view, true, res) // → { plan: "gold", region: "서울" } (the session's user)
 */
export function customerMeta(
  event: EventView,
  bySession: boolean,
  names: Resolution | undefined,
): Readonly<Record<string, string>> | undefined {
  if (!bySession) return event.to?.meta;
  const userId = event.session?.userId;
  return userId === undefined ? undefined : names?.names.users[userId]?.meta;
}
