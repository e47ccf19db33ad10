// Names for `npm run routes` (issue 10): where the CLI gets the names an event's ids resolve to,
// so explain/test route by name as the Worker would.
//   --names <file.json>   a snapshot: {"<kind>": {"<id>": "<name>"}}, as `routes -- names --json` prints it,
//                         plus two optional keys that are not kinds: "parents" {"<categoryId>": "<parentId>"}
//                         (so a rule on a parent category matches) and "meta" {"<userId>": {"<key>": "<value>"}}
//                         (for meta rules on session events)
//   the Open API          when the config has [vars.ROUTING.gitple] and the secret it names (GITPLE_API_SECRET)
//                         is in the environment or .dev.vars: the Worker's own resolver (src/gitple/resolve.ts)
//   neither               ids alone, as the Worker without the table
// Trade-off: the snapshot is one Resolution for every event of a run; the Open API path resolves
// the union of every event's ids once, with the configured timeout per run, not per event.
import { existsSync, readFileSync } from "node:fs";
import { MemoryNames, NameCache } from "../../src/gitple/cache.ts";
import { NAME_KINDS, type NameKind } from "../../src/gitple/kinds.ts";
import { eventIds } from "../../src/gitple/names.ts";
import {
  type CategoryStep,
  emptyResolution,
  type IdsByKind,
  type Resolution,
  resolveNames,
} from "../../src/gitple/resolve.ts";
import type { RoutingConfig } from "../../src/routing/types.ts";
import { InputError, readText } from "./routes-input.ts";

/** The `--json` form of `names`, and what `--names` reads. */
export type NamesSnapshot = Partial<Record<NameKind, Record<string, string>>> & {
  parents?: Record<string, string>;
  meta?: Record<string, Record<string, string>>;
};

/**
 * A `--names` file as a Resolution.
 * @example readSnapshot("examples/names.json").names.sessionTags["5cc7a1000000000000000001"] // { name: "VIP" }
 */
export function readSnapshot(path: string): Resolution {
  let data: unknown;
  try {
    data = JSON.parse(readText(path));
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(`${path}: not valid JSON (${(e as Error).message})`);
  }
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    throw new InputError(`${path}: must be a JSON object {"<kind>": {"<id>": "<name>"}}`);
  }
  const o = data as Record<string, unknown>;
  const known = new Set<string>([...NAME_KINDS, "parents", "meta"]);
  for (const key of Object.keys(o)) {
    if (!known.has(key)) throw new InputError(`${path}: unknown key "${key}" (expected ${[...known].join(", ")})`);
  }
  const table = (key: string): Record<string, unknown> => {
    const t = o[key] ?? {};
    if (typeof t !== "object" || t === null || Array.isArray(t))
      throw new InputError(`${path}: "${key}" must be an object`);
    return t as Record<string, unknown>;
  };
  const strings = (key: string, t: Record<string, unknown>): Record<string, string> => {
    for (const [id, v] of Object.entries(t)) {
      if (typeof v !== "string") throw new InputError(`${path}: "${key}"."${id}" must be a string`);
    }
    return t as Record<string, string>;
  };
  const res = emptyResolution();
  const parents = strings("parents", table("parents"));
  const meta = table("meta");
  for (const kind of NAME_KINDS) {
    for (const [id, name] of Object.entries(strings(kind, table(kind)))) {
      const into = res.names[kind] as Record<string, unknown>;
      if (kind === "categories") into[id] = parents[id] ? { name, parent: parents[id] } : { name };
      else if (kind === "users")
        into[id] = { name, meta: strings(`meta.${id}`, table2(meta, id, path)), groups: [], tags: [] };
      else into[id] = { name };
    }
  }
  for (const id of Object.keys(res.names.categories)) res.categoryPaths[id] = pathFromRoot(res, id);
  return res;
}

function table2(meta: Record<string, unknown>, id: string, path: string): Record<string, unknown> {
  const t = meta[id] ?? {};
  if (typeof t !== "object" || t === null || Array.isArray(t))
    throw new InputError(`${path}: "meta"."${id}" must be an object`);
  return t as Record<string, unknown>;
}

function pathFromRoot(res: Resolution, id: string): CategoryStep[] {
  const steps: CategoryStep[] = [];
  const seen = new Set<string>();
  let current: string | undefined = id;
  while (current !== undefined && !seen.has(current)) {
    const record: { name: string; parent?: string } | undefined = res.names.categories[current];
    if (!record) break;
    seen.add(current);
    steps.push({ id: current, name: record.name });
    current = record.parent;
  }
  return steps.reverse();
}

/** A secret from the environment, else from .dev.vars (KEY=value or KEY="value" lines), as wrangler reads it. */
export function localSecret(name: string, devVars = ".dev.vars"): string | undefined {
  const fromEnv = process.env[name];
  if (fromEnv) return fromEnv;
  if (!existsSync(devVars)) return undefined;
  for (const line of readFileSync(devVars, "utf8").split(/\r?\n/)) {
    const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (m?.[1] !== name) continue;
    const v = (m[2] ?? "").trim();
    return v.replace(/^"(.*)"$/, "$1").replace(/^'(.*)'$/, "$1") || undefined;
  }
  return undefined;
}

/** Every id of these event bodies, by kind, each once. */
export function idsOf(bodies: readonly unknown[]): IdsByKind {
  const out: Partial<Record<NameKind, string[]>> = {};
  for (const body of bodies) {
    for (const [kind, ids] of Object.entries(eventIds(body)) as [NameKind, string[]][]) {
      const into = out[kind] ?? [];
      for (const id of ids) if (!into.includes(id)) into.push(id);
      out[kind] = into;
    }
  }
  return out;
}

export interface NamesSource {
  /** What to say where names came from (for the text output). */
  readonly label: string;
  readonly resolution: Resolution;
}

/**
 * The names for a run: the snapshot if given, else the Open API if configured and the secret is at
 * hand, else undefined (ids alone). A 401 or an unreachable Open API is an error (exit 2): the
 * operator asked for names and would otherwise read a wrong answer.
 * @example await namesFor(config, [event.raw], { snapshot: "examples/names.json" })
 */
export async function namesFor(
  config: RoutingConfig,
  bodies: readonly string[],
  options: { snapshot?: string },
): Promise<NamesSource | undefined> {
  if (options.snapshot !== undefined) {
    return { label: `names from ${options.snapshot}`, resolution: readSnapshot(options.snapshot) };
  }
  const gitple = config.gitple;
  if (!gitple) return undefined;
  const secret = localSecret(gitple.api_secret);
  if (!secret) return undefined;
  const parsed = bodies.map((b) => JSON.parse(b) as { appCode?: unknown });
  const appCode = parsed.map((p) => p.appCode).find((a): a is string => typeof a === "string");
  if (appCode === undefined) return undefined;
  const resolution = await resolveNames(idsOf(parsed), {
    conn: { apiUrl: gitple.api_url, appCode, secret },
    cache: new NameCache({ ttlSeconds: gitple.cache_ttl_seconds, memory: new MemoryNames() }),
    budgetMs: gitple.timeout_seconds * 1000,
  });
  if (resolution.unauthorized) throw new InputError(resolution.unauthorized);
  if (resolution.unavailable) {
    throw new InputError(
      `the Gitple Open API at ${gitple.api_url} did not answer within ${gitple.timeout_seconds} s (or answered 429/5xx); try again, or pass --names <file.json>`,
    );
  }
  return { label: `names from the Gitple Open API (app code ${appCode})`, resolution };
}

/**
 * `names <event.json>`: one line per id of the event (kind, id, name or `unknown`), or with
 * `json` the snapshot `--names` reads (categories with their ancestors and parents, users' meta).
 * @example formatNames(event.raw, res, false) // "sessionTags  5cc7a1000000000000000001  VIP\n…"
 */
export function formatNames(raw: string, res: Resolution, json: boolean): string {
  const ids = eventIds(JSON.parse(raw));
  if (json) return JSON.stringify(snapshotOf(onlyThese(res, ids)), null, 2);
  const rows: [string, string, string][] = [];
  for (const kind of NAME_KINDS) {
    for (const id of ids[kind] ?? []) {
      const name = res.names[kind][id]?.name ?? "unknown";
      const path = kind === "categories" ? res.categoryPaths[id] : undefined;
      const shown = path && path.length > 1 ? `${name}  (${path.map((s) => s.name).join(" › ")})` : name;
      rows.push([kind, id, shown]);
    }
  }
  if (rows.length === 0) return "(the event carries no ids)";
  const width = Math.max(...rows.map((r) => r[0].length));
  return rows.map(([kind, id, name]) => `${kind.padEnd(width)}  ${id}  ${name}`).join("\n");
}

/** The part of a resolution about these ids (a category with its ancestors). */
function onlyThese(res: Resolution, ids: IdsByKind): Resolution {
  const out = emptyResolution();
  for (const kind of NAME_KINDS) {
    const from = res.names[kind] as Record<string, unknown>;
    const into = out.names[kind] as Record<string, unknown>;
    for (const id of ids[kind] ?? []) {
      const wanted = kind === "categories" ? (res.categoryPaths[id] ?? []).map((s) => s.id) : [id];
      for (const w of wanted) if (from[w] !== undefined) into[w] = from[w];
    }
  }
  return out;
}

/** A Resolution as the snapshot format (found names only; unknown ids are left out). */
export function snapshotOf(res: Resolution): NamesSnapshot {
  const out: NamesSnapshot = {};
  for (const kind of NAME_KINDS) {
    const entries = Object.entries(res.names[kind]).map(([id, r]) => [id, r.name] as const);
    if (entries.length > 0) out[kind] = Object.fromEntries(entries);
  }
  const parents = Object.entries(res.names.categories).flatMap(([id, r]) =>
    r.parent ? [[id, r.parent] as const] : [],
  );
  if (parents.length > 0) out.parents = Object.fromEntries(parents);
  const meta = Object.entries(res.names.users).flatMap(([id, u]) =>
    Object.keys(u.meta).length > 0 ? [[id, u.meta] as const] : [],
  );
  if (meta.length > 0) out.meta = Object.fromEntries(meta);
  return out;
}
