/**
 * The event's ids read through a Resolution (issue 10): the customer, the assignee, tags, groups
 * and categories as people see them in Gitple's console, and the compact ids line that keeps every
 * id searchable. Plain text, unescaped and on one line (each formatter escapes for its target).
 * Without names every function gives what the message showed before: the id.
 */
import type { EventView } from "../event/view.ts";
import type { UserRecord } from "../gitple/kinds.ts";
import { categoryPathText, nameOf } from "../gitple/names.ts";
import type { Resolution } from "../gitple/resolve.ts";
import { oneLine as flat } from "../lib/text.ts";

const joined = (items: readonly string[]): string =>
  items
    .map(flat)
    .filter((s) => s !== "")
    .join(", ");

/**
 * The session's customer as `/exports/users/:id` answered, when resolved.
 * @example sessionUser(view, res)?.name // "박지훈"
 */
export function sessionUser(event: EventView, names: Resolution | undefined): UserRecord | undefined {
  const id = event.session?.userId;
  return id === undefined || names === undefined ? undefined : names.names.users[id];
}

/**
 * Session tags, user groups and user tags by name (the id when unknown), joined with ", ".
 * @example tagNames(res, "sessionTags", [vipId, "zzz"]) // "VIP, zzz"
 */
export function namesOf(
  names: Resolution | undefined,
  kind: "sessionTags" | "userGroups" | "userTags",
  ids: readonly string[],
): string {
  return joined(ids.map((id) => nameOf(names, kind, id)));
}

/**
 * Categories as paths from the root, joined with ", ".
 * @example categoryNames(res, [parcelLostId]) // "배송 › 분실 › 택배 분실"
 */
export function categoryNames(names: Resolution | undefined, ids: readonly string[]): string {
  return joined(ids.map((id) => categoryPathText(names, id)));
}

/**
 * The assignee's name when it is a resolved agent; "" otherwise.
 * @example assigneeName(view, res) // "김민준"
 */
export function assigneeName(event: EventView, names: Resolution | undefined): string {
  const s = event.session;
  if (s?.assigneeType !== "agent" || s.assigneeId === undefined) return "";
  return flat(names?.names.agents[s.assigneeId]?.name);
}

/**
 * The sending agent's name for a message event, when resolved; "" otherwise.
 * @example senderName(view, res) // "이서연"
 */
export function senderName(event: EventView, names: Resolution | undefined): string {
  const from = event.from;
  if (from?.type !== "agent" || from.id === undefined) return "";
  return flat(names?.names.agents[from.id]?.name);
}

/**
 * The ids behind the names, one compact line for searching Gitple: "" without names (the fields
 * already show the ids then).
 * @example idsLine(view, res) // "ids: user 5cc6… · agent 5cc6… · tags 5cc7…, 5cc8… · categories 5cc9…"
 */
export function idsLine(event: EventView, names: Resolution | undefined): string {
  if (names === undefined) return "";
  const s = event.session;
  const parts: string[] = [];
  const add = (label: string, value: string) => {
    if (value !== "") parts.push(`${label} ${value}`);
  };
  add("user", flat(s?.userId));
  if (s?.assigneeType === "agent") add("agent", flat(s.assigneeId));
  add("tags", joined(s?.tags ?? []));
  add("categories", joined(s?.categories ?? []));
  add("user groups", joined(s?.userGroups ?? []));
  if (event.from?.type === "agent") add("agent", flat(event.from.id));
  add("user tags", joined(event.to?.tags ?? []));
  add("groups", joined(event.to?.groups ?? []));
  return parts.length === 0 ? "" : `ids: ${parts.join(" · ")}`;
}
