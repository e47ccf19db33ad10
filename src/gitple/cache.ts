/**
 * The name cache: what Gitple said about one id, per (appCode, kind, id).
 *
 * - Key: `gitple:v1:<kind>:<appCode>:<id>` in KV (this module is the only one that knows it); the
 *   same triple in isolate memory.
 * - Lifetime: `cache_ttl_seconds` for a name; an id Gitple answered 404 for is remembered as unknown
 *   for 10 minutes (or `cache_ttl_seconds` if shorter), so a deleted tag is not asked for on every
 *   event yet a newly created one shows up soon.
 * - Where: isolate memory for every kind (at most `maxEntries`, oldest-used dropped first), and KV
 *   (`expirationTtl`) for the bounded kinds only. People (`users`) stay in memory: writing one per
 *   session would add a KV write to nearly every event (issue 10, the cost budget).
 * - A miss when Gitple is down: the caller gets nothing from here, the lookup answers `unavailable`,
 *   and the event shows ids (or its routing is deferred); nothing stale is invented. KV errors read as
 *   misses and failed writes are dropped: the cache is an optimisation, never a source of failure.
 */
import { type AnyRecord, KV_KINDS, type NameKind, type RecordOf } from "./kinds.ts";

/** What is known about one id: its record, or that Gitple does not know it. */
export type Cached<K extends NameKind = NameKind> = { found: true; record: RecordOf[K] } | { found: false };

/** How long a 404 is believed (seconds), unless cache_ttl_seconds is shorter. */
export const UNKNOWN_TTL_SECONDS = 600;
/** Isolate memory holds at most this many ids by default. */
export const DEFAULT_MAX_ENTRIES = 2000;

interface MemoryEntry {
  value: Cached;
  expiresAt: number;
}

/** A bounded, least-recently-used map that forgets entries at their expiry. */
export class MemoryNames {
  readonly #entries = new Map<string, MemoryEntry>();
  readonly maxEntries: number;
  constructor(maxEntries = DEFAULT_MAX_ENTRIES) {
    this.maxEntries = maxEntries;
  }

  get(key: string, now: number): Cached | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    this.#entries.delete(key);
    if (entry.expiresAt <= now) return undefined;
    this.#entries.set(key, entry); // most recently used last
    return entry.value;
  }

  set(key: string, value: Cached, expiresAt: number): void {
    this.#entries.delete(key);
    this.#entries.set(key, { value, expiresAt });
    while (this.#entries.size > this.maxEntries) {
      const oldest = this.#entries.keys().next().value;
      if (oldest === undefined) break;
      this.#entries.delete(oldest);
    }
  }

  get size(): number {
    return this.#entries.size;
  }
}

/** The isolate's memory cache, shared by every request the isolate serves. */
export const isolateNames = new MemoryNames();

/**
 * The KV key of one id's name.
 * @example nameKey("demo-app", "sessionTags", "5cc7a1000000000000000001") // "gitple:v1:sessionTags:demo-app:5cc7a1000000000000000001"
 */
export function nameKey(appCode: string, kind: NameKind, id: string): string {
  return `gitple:v1:${kind}:${appCode}:${id}`;
}

export interface NameCacheOptions {
  /** RELAY_STATE; without it only memory is used. */
  kv?: KVNamespace;
  ttlSeconds: number;
  /** Default: the isolate's shared memory. */
  memory?: MemoryNames;
  /** Runs a KV write without waiting for it (ctx.waitUntil); default: the write is awaited. */
  defer?: (write: Promise<unknown>) => void;
  now?: () => number;
}

/** Stored in KV: a version, so a later format is not misread. */
interface KvValue {
  v: 1;
  found: boolean;
  /** When the entry expires (epoch ms), as written. */
  exp: number;
  record?: AnyRecord;
}

export class NameCache {
  readonly #kv?: KVNamespace;
  readonly #ttl: number;
  readonly #memory: MemoryNames;
  readonly #defer?: (write: Promise<unknown>) => void;
  readonly #now: () => number;

  constructor(options: NameCacheOptions) {
    this.#kv = options.kv;
    this.#ttl = options.ttlSeconds;
    this.#memory = options.memory ?? isolateNames;
    this.#defer = options.defer;
    this.#now = options.now ?? Date.now;
  }

  /**
   * Memory first, then KV for the bounded kinds (a KV hit is kept in memory too). Undefined on a miss.
   * @example const hit = await cache.get("demo-app", "sessionTags", id); // { found: true, record: { name: "VIP" } }
   */
  async get<K extends NameKind>(appCode: string, kind: K, id: string): Promise<Cached<K> | undefined> {
    const key = nameKey(appCode, kind, id);
    const inMemory = this.#memory.get(key, this.#now());
    if (inMemory) return inMemory as Cached<K>;
    if (!this.#kv || !KV_KINDS.has(kind)) return undefined;
    try {
      const stored = await this.#kv.get<KvValue>(key, "json");
      if (stored?.v !== 1 || typeof stored.exp !== "number") return undefined;
      const value: Cached = stored.found && stored.record ? { found: true, record: stored.record } : { found: false };
      // Memory keeps a KV hit until the KV entry's own expiry, not a fresh lifetime.
      this.#memory.set(key, value, Math.min(stored.exp, this.#now() + this.#lifetime(value.found) * 1000));
      return value as Cached<K>;
    } catch {
      return undefined;
    }
  }

  /**
   * Remembers an answer: a record, or `{ found: false }` after a 404.
   * @example await cache.put("demo-app", "categories", id, { found: true, record: { name: "분실", parent: rootId } });
   */
  async put<K extends NameKind>(appCode: string, kind: K, id: string, value: Cached<K>): Promise<void> {
    const key = nameKey(appCode, kind, id);
    const ttl = this.#lifetime(value.found);
    const exp = this.#now() + ttl * 1000;
    this.#memory.set(key, value, exp);
    if (!this.#kv || !KV_KINDS.has(kind)) return;
    const stored: KvValue = value.found
      ? { v: 1, found: true, exp, record: value.record }
      : { v: 1, found: false, exp };
    const write = this.#kv.put(key, JSON.stringify(stored), { expirationTtl: ttl }).catch(() => undefined);
    if (this.#defer) this.#defer(write);
    else await write;
  }

  #lifetime(found: boolean): number {
    return found ? this.#ttl : Math.min(UNKNOWN_TTL_SECONDS, this.#ttl);
  }
}
