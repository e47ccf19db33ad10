/**
 * The kinds of id a Gitple event carries and what the Open API answers for each, parsed tolerantly
 * into the few fields the relay uses (shared/seeds/gitple-open-api.md, "Read endpoints").
 *
 * Only the bounded sets (tags, categories, groups, agents) may be written to KV: a workspace has a
 * few hundred of them at most, while people (`users`) number one per session and would add a KV
 * write to nearly every event (see cache.ts).
 */

/** A kind of id, named after its Open API resource. */
export type NameKind = "sessionTags" | "categories" | "userGroups" | "userTags" | "agents" | "users";

export const NAME_KINDS: readonly NameKind[] = [
  "sessionTags",
  "categories",
  "userGroups",
  "userTags",
  "agents",
  "users",
];

/** Kinds whose names may be kept in KV (bounded per workspace). */
export const KV_KINDS: ReadonlySet<NameKind> = new Set([
  "sessionTags",
  "categories",
  "userGroups",
  "userTags",
  "agents",
]);

/** Gitple ids are 24 hex digits; anything that is not a plain token never goes into a URL. */
export const PLAIN_TOKEN = /^[A-Za-z0-9_-]{1,64}$/;

/** A session tag, user group or user tag. */
export interface NamedRecord {
  name: string;
}
export interface CategoryRecord {
  name: string;
  /** The parent category's id; absent at the root. */
  parent?: string;
}
export interface AgentRecord {
  name: string;
  identifier?: string;
}
/** A customer (`/exports/users/:id`): contact fields are here; whether they are shown is the caller's call. */
export interface UserRecord {
  name: string;
  identifier?: string;
  lang?: string;
  meta: Record<string, string>;
  email?: string;
  phone?: string;
  groups: string[];
  tags: string[];
}

export interface RecordOf {
  sessionTags: NamedRecord;
  categories: CategoryRecord;
  userGroups: NamedRecord;
  userTags: NamedRecord;
  agents: AgentRecord;
  users: UserRecord;
}
export type AnyRecord = RecordOf[NameKind];

/**
 * The fields the relay keeps from one Open API answer, or null when it has no usable name (then the
 * id is shown). Never throws.
 * @example
 *   parseRecord("categories", { id: "c3", name: "택배 분실", parent: "c2", root: "c1" })
 *   // → { name: "택배 분실", parent: "c2" }
 */
export function parseRecord<K extends NameKind>(kind: K, body: unknown): RecordOf[K] | null {
  if (typeof body !== "object" || body === null || Array.isArray(body)) return null;
  const o = body as Record<string, unknown>;
  const name = str(o.name);
  if (name === undefined || name.trim() === "") return null;
  switch (kind) {
    case "categories": {
      const parent = str(o.parent);
      const id = str(o.id);
      return (parent && PLAIN_TOKEN.test(parent) && parent !== id ? { name, parent } : { name }) as RecordOf[K];
    }
    case "agents":
      return withOptional({ name }, { identifier: str(o.identifier) }) as RecordOf[K];
    case "users":
      return withOptional(
        { name, meta: metaOf(o.meta), groups: ids(o.groups), tags: ids(o.tags) },
        { identifier: str(o.identifier), lang: str(o.lang), email: str(o.email), phone: str(o.phone) },
      ) as RecordOf[K];
    default:
      return { name } as RecordOf[K];
  }
}

function str(v: unknown): string | undefined {
  if (typeof v === "string") return v;
  if (typeof v === "number" && Number.isFinite(v)) return String(v);
  return undefined;
}

function ids(v: unknown): string[] {
  return Array.isArray(v) ? v.map(str).filter((s): s is string => s !== undefined) : [];
}

/** `meta` values compare as strings (issue 10): numbers and booleans become strings, objects are dropped. */
function metaOf(v: unknown): Record<string, string> {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return {};
  const out: Record<string, string> = {};
  for (const [k, value] of Object.entries(v)) {
    if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") out[k] = String(value);
  }
  return out;
}

function withOptional<T extends object>(base: T, optional: Record<string, string | undefined>): T {
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [k, v] of Object.entries(optional)) if (v !== undefined) out[k] = v;
  return out as T;
}
