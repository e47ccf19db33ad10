/**
 * Reading an event through a Resolution: which ids an event carries (by kind), and the names to
 * show for them, falling back to the id itself when the name is unknown or not (yet) resolved.
 * Gitple events carry ids, not names (shared/seeds/gitple-open-api.md, "What this means for events").
 */
import type { NameKind } from "./kinds.ts";
import type { CategoryStep, IdsByKind, Resolution } from "./resolve.ts";

/** The separator between categories on a path, as Gitple's console shows a tree. */
export const CATEGORY_SEPARATOR = " › ";

/**
 * The ids a Gitple event body carries, by kind: `session.tags/categories/userGroups/userId/assigneeId`
 * (the assignee only when `assigneeType` is `agent`), `to.tags` (user tags) and `to.groups` (user
 * groups), and `from.id` when `from.type` is `agent`. Tolerates any shape (non-strings are dropped).
 * @example
 *   eventIds({ type: "session_state_close", session: { tags: ["5cc7…"], userId: "5cc6…", assigneeType: "agent", assigneeId: "5cc6…" } })
 *   // → { sessionTags: ["5cc7…"], users: ["5cc6…"], agents: ["5cc6…"] }
 */
export function eventIds(body: unknown): IdsByKind {
  const out: Partial<Record<NameKind, string[]>> = {};
  const add = (kind: NameKind, values: unknown) => {
    const list = (Array.isArray(values) ? values : [values]).filter(
      (v): v is string => typeof v === "string" && v !== "",
    );
    if (list.length === 0) return;
    const into = out[kind] ?? [];
    for (const id of list) if (!into.includes(id)) into.push(id);
    out[kind] = into;
  };
  const o = record(body);
  const session = record(o.session);
  add("sessionTags", session.tags);
  add("categories", session.categories);
  add("userGroups", session.userGroups);
  add("users", session.userId);
  if (session.assigneeType === "agent") add("agents", session.assigneeId);
  const to = record(o.to);
  add("userTags", to.tags);
  add("userGroups", to.groups);
  const from = record(o.from);
  if (from.type === "agent") add("agents", from.id);
  return out;
}

/**
 * The name to show for an id: its name when resolved, else the id.
 * @example nameOf(res, "sessionTags", vipId) // "VIP" (or vipId when unknown)
 */
export function nameOf(res: Resolution | undefined, kind: NameKind, id: string): string {
  return res?.names[kind][id]?.name ?? id;
}

/**
 * A category as its path from the root: `배송 › 분실 › 택배 분실`; the id when unresolved.
 * @example categoryPathText(res, parcelLostId) // "배송 › 분실 › 택배 분실"
 */
export function categoryPathText(res: Resolution | undefined, id: string, separator = CATEGORY_SEPARATOR): string {
  const path = res?.categoryPaths[id];
  return path && path.length > 0 ? path.map((s) => s.name).join(separator) : id;
}

/**
 * A category and its known ancestors, root first, for rules on a parent (`배송` matches `분실`).
 * Without a resolution it is the id alone.
 * @example categoryLineage(res, lostId) // [{ id: deliveryId, name: "배송" }, { id: lostId, name: "분실" }]
 */
export function categoryLineage(res: Resolution | undefined, id: string): CategoryStep[] {
  const path = res?.categoryPaths[id];
  return path && path.length > 0 ? path : [{ id, name: id }];
}

function record(v: unknown): Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}
