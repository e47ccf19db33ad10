/**
 * Resolves an event's ids to names: every kind concurrently, each (kind, id) once (category parents
 * included, up to the root), at most 6 Open API requests in flight, all sharing one budget
 * (`timeout_seconds`). Cache first (cache.ts): with warm caches it makes no call.
 *
 * It never throws and never waits past the budget. What it could not learn is said plainly:
 * `unavailable` (Gitple down, slow, 429/5xx: the caller may defer routing and retry later) and
 * `unauthorized` (a config problem: retrying cannot help, the caller carries on with ids, logs it
 * once per isolate and shows it in /health). After a 401 no further request is made for the event.
 */
import type { NameCache } from "./cache.ts";
import { type GitpleConnection, gitpleGet } from "./client.ts";
import { type NameKind, PLAIN_TOKEN, parseRecord, type RecordOf } from "./kinds.ts";
import { limiter } from "./limit.ts";

/** An event's ids by kind, e.g. `{ sessionTags: ["5cc7…"], users: ["5cc6…"] }`. */
export type IdsByKind = Partial<Record<NameKind, readonly string[]>>;

/** One category on the path from the root. */
export interface CategoryStep {
  id: string;
  name: string;
}

export interface KindId {
  kind: NameKind;
  id: string;
}

/** Plain JSON, so it can travel in a queue message with a deferred event. */
export interface Resolution {
  /** What was found, per kind: id → record. */
  names: { [K in NameKind]: Record<string, RecordOf[K]> };
  /** Each found category's path from the root to itself (as far up as the parents are known). */
  categoryPaths: Record<string, CategoryStep[]>;
  /** Ids Gitple does not know (404) or that are not plain tokens: shown as the id. */
  unknown: KindId[];
  /** Ids not resolved because Gitple was unavailable, out of budget, or unauthorized. */
  pending: KindId[];
  /** Some lookup hit a 429, 5xx, network error or the budget: try again later. */
  unavailable: boolean;
  /** The 401 message (what to check), or null. */
  unauthorized: string | null;
  /** Open API requests made. */
  calls: number;
}

export interface ResolveOptions {
  conn: GitpleConnection;
  cache: NameCache;
  /** One budget for all of the event's lookups, in ms (timeout_seconds × 1000). */
  budgetMs: number;
  /** Default 6. */
  maxInFlight?: number;
}

export const MAX_IN_FLIGHT = 6;
/** Category trees deeper than this are cut (a guard against a parent cycle Gitple should never have). */
const MAX_CATEGORY_DEPTH = 16;

/**
 * A resolution that knows no names yet (what resolveNames starts from; a snapshot fills one in).
 * @example emptyResolution().names.sessionTags // {}
 */
export function emptyResolution(): Resolution {
  return {
    names: { sessionTags: {}, categories: {}, userGroups: {}, userTags: {}, agents: {}, users: {} },
    categoryPaths: {},
    unknown: [],
    pending: [],
    unavailable: false,
    unauthorized: null,
    calls: 0,
  };
}

/**
 * @example
 *   const res = await resolveNames(
 *     { sessionTags: [vipId], categories: [parcelLostId], users: [userId] },
 *     { conn: { apiUrl, appCode: event.appCode, secret }, cache: new NameCache({ kv: env.RELAY_STATE, ttlSeconds: 86400 }), budgetMs: 3000 },
 *   );
 *   res.names.sessionTags[vipId].name; // "VIP"
 *   res.categoryPaths[parcelLostId].map((s) => s.name).join(" › "); // "배송 › 분실 › 택배 분실"
 *   if (res.unavailable) { ... defer routing ... }
 */
export async function resolveNames(ids: IdsByKind, options: ResolveOptions): Promise<Resolution> {
  const { conn, cache } = options;
  const deadline = Date.now() + options.budgetMs;
  const limit = limiter(options.maxInFlight ?? MAX_IN_FLIGHT);
  const res = emptyResolution();
  const seen = new Set<string>();
  const tasks: Promise<void>[] = [];

  const visit = (kind: NameKind, id: string, depth: number): void => {
    const key = `${kind}\u0000${id}`;
    if (seen.has(key)) return;
    seen.add(key);
    tasks.push(lookUp(kind, id, depth).catch(() => void res.pending.push({ kind, id })));
  };

  const found = <K extends NameKind>(kind: K, id: string, record: RecordOf[K], depth: number): void => {
    (res.names[kind] as Record<string, RecordOf[K]>)[id] = record;
    if (kind === "categories") {
      const parent = (record as RecordOf["categories"]).parent;
      if (parent !== undefined && depth < MAX_CATEGORY_DEPTH) visit("categories", parent, depth + 1);
    }
  };

  const lookUp = async (kind: NameKind, id: string, depth: number): Promise<void> => {
    if (!PLAIN_TOKEN.test(id)) return void res.unknown.push({ kind, id });
    const cached = await cache.get(conn.appCode, kind, id);
    if (cached) return cached.found ? found(kind, id, cached.record, depth) : void res.unknown.push({ kind, id });
    await limit(async () => {
      if (res.unauthorized !== null) return void res.pending.push({ kind, id });
      if (Date.now() >= deadline) {
        res.unavailable = true;
        return void res.pending.push({ kind, id });
      }
      res.calls++;
      const answer = await gitpleGet(conn, ["exports", kind, id], deadline);
      if (answer.ok) {
        const record = parseRecord(kind, answer.value);
        await cache.put(conn.appCode, kind, id, record ? { found: true, record } : { found: false });
        return record ? found(kind, id, record, depth) : void res.unknown.push({ kind, id });
      }
      const problem = answer.error;
      switch (problem.reason) {
        case "unknown":
          await cache.put(conn.appCode, kind, id, { found: false });
          return void res.unknown.push({ kind, id });
        case "bad_request":
          return void res.unknown.push({ kind, id }); // not remembered: the request, not the id, may be at fault
        case "unauthorized":
          res.unauthorized = problem.message;
          return void res.pending.push({ kind, id });
        case "unavailable":
          res.unavailable = true;
          return void res.pending.push({ kind, id });
      }
    });
  };

  for (const [kind, list] of Object.entries(ids) as [NameKind, readonly string[] | undefined][]) {
    for (const id of list ?? []) if (typeof id === "string") visit(kind, id, 0);
  }
  // Lookups add their parents' lookups before they finish, so this sees every task.
  for (let i = 0; i < tasks.length; i++) await tasks[i];
  for (const id of Object.keys(res.names.categories)) res.categoryPaths[id] = pathFromRoot(res, id);
  return res;
}

/** Walks parents up while they are known; the result starts at the highest known ancestor. */
function pathFromRoot(res: Resolution, id: string): CategoryStep[] {
  const steps: CategoryStep[] = [];
  const onPath = new Set<string>();
  let current: string | undefined = id;
  while (current !== undefined && !onPath.has(current)) {
    const record: RecordOf["categories"] | undefined = res.names.categories[current];
    if (!record) break;
    onPath.add(current);
    steps.push({ id: current, name: record.name });
    current = record.parent;
  }
  return steps.reverse();
}
