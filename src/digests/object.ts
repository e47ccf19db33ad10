/**
 * Scheduled digests (issue 14, docs/time.md): a SQLite Durable Object per
 * digest name (DIGESTS, named by src/digest-figures/stub.ts) that keeps the digest's
 * running aggregates, one row per hour (src/digest-figures/figures.ts), and its
 * schedule: the next send, with the alarm set to it. It reads its spec from
 * the config on each call, so a changed `at`, `days` or `covers` applies from
 * the next call after a deploy; a digest removed from the config deletes its
 * object at its next alarm.
 *
 * Exactly once per (digest, period, destination): the send for the period
 * ending at E is queued with the trigger id `digest:<name>:<E ISO>`, through
 * the same claims as any notice, before the schedule moves on. An alarm run
 * twice, or a crash between queueing and moving on, queues the same trigger
 * id again and the claims drop the copy. A send that fails (the queue or KV
 * down) is logged and retried by the handler itself, after a backoff (30 s
 * doubling to an hour), until it goes; an overdue schedule is read again and
 * its alarm set if it has none, so sends never stop. A manual send
 * (`POST /admin/digests/:name/send`) has its own trigger id, so the scheduled
 * send of that period still happens.
 *
 * Bounded: buckets older than the next period's start are deleted at each
 * send, and an event older than that is not counted (its period was sent).
 * Storage operations per counted event: one row read and one row written.
 */
import { DurableObject } from "cloudflare:workers";
import { durationSeconds } from "../config/durations.ts";
import type { Digest } from "../config/types.ts";
import {
  addNote,
  type Bucket,
  combine,
  type DigestFigures,
  type DigestNote,
  emptyBucket,
} from "../digest-figures/figures.ts";
import { viewEvent } from "../event/view.ts";
import { nextLocalTime } from "../format/quiet-hours.ts";
import { renderLink, templateValues } from "../format/template.ts";
import { categoryPathText, nameOf } from "../gitple/names.ts";
import { errorText, log } from "../log/log.ts";
import { loadRouting } from "../routing/load.ts";
import { nameLookup } from "../routing/names.ts";
import type { RoutingConfig } from "../routing/types.ts";
import { enqueueNotice } from "../storage/notice.ts";

const HOUR = 3_600_000;

interface Spec {
  readonly config: RoutingConfig;
  readonly digest: Digest;
  readonly coversMs: number;
}

/** The digest's spec in the current config; null when the config is invalid (try later), undefined when it has no such digest. */
function specOf(env: Env, name: string): Spec | null | undefined {
  const config = loadRouting(env);
  if (!config.ok) return null;
  const digest = config.value.digests.find((d) => d.name === name);
  return digest && { config: config.value, digest, coversMs: (durationSeconds(digest.covers) ?? 86400) * 1000 };
}

const nextSend = (spec: Spec, after: number): number =>
  nextLocalTime(spec.digest.at, spec.digest.days, spec.config.timezone ?? "UTC", after);

/** What a send queued (the answer of `POST /admin/digests/:name/send`). */
export interface DigestSent {
  readonly triggerId: string;
  readonly destinations: readonly string[];
  readonly figures: DigestFigures;
}

export class DigestState extends DurableObject<Env> {
  private readonly sql: SqlStorage;
  /** The next send (ms), once read in this instance. */
  private next?: number;
  /** Sends that failed in a row (this instance): the next try waits 30 s, doubling up to an hour. */
  private failures = 0;
  /** The workspace of the last figures' sessions (names are looked up in it). */
  private appCode?: string;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.sql.exec(
      "CREATE TABLE IF NOT EXISTS meta (id INTEGER PRIMARY KEY, name TEXT NOT NULL, next_at INTEGER NOT NULL)",
    );
    this.sql.exec("CREATE TABLE IF NOT EXISTS buckets (start INTEGER PRIMARY KEY, data TEXT NOT NULL)");
  }

  /** Counts one event in its hour's bucket; without one, only makes sure the alarm is set (ingest, once per isolate). */
  async note(name: string, n?: DigestNote): Promise<void> {
    const spec = specOf(this.env, name);
    if (!spec) return;
    const next = await this.scheduled(name, spec);
    if (!n || n.at < next - spec.coversMs) return;
    const start = next + Math.floor((n.at - next) / HOUR) * HOUR;
    const row = this.sql.exec<{ data: string }>("SELECT data FROM buckets WHERE start = ?", start).toArray()[0];
    const bucket = row ? (JSON.parse(row.data) as Bucket) : emptyBucket();
    addNote(bucket, n);
    this.sql.exec(
      "INSERT INTO buckets (start, data) VALUES (?, ?) ON CONFLICT(start) DO UPDATE SET data = excluded.data",
      start,
      JSON.stringify(bucket),
    );
  }

  /** The current period's figures so far (the one the next send covers); undefined for a digest not in the config. */
  async preview(name: string): Promise<DigestFigures | undefined> {
    const spec = specOf(this.env, name);
    if (!spec) return undefined;
    const next = await this.scheduled(name, spec);
    const from = next - spec.coversMs;
    return this.named(spec, this.figures(name, from, Math.max(from, Math.min(Date.now(), next))));
  }

  /** Sends the current period's figures so far now, under a trigger id of its own. */
  async sendNow(name: string): Promise<DigestSent | undefined> {
    const spec = specOf(this.env, name);
    const figures = await this.preview(name);
    if (!spec || !figures) return undefined;
    const triggerId = `digest:${name}:${new Date(this.next ?? 0).toISOString()}:manual:${Date.now()}`;
    await this.queue(spec, triggerId, figures);
    return { triggerId, destinations: spec.digest.destinations, figures };
  }

  override async alarm(): Promise<void> {
    const row = this.sql.exec<{ name: string; next_at: number }>("SELECT name, next_at FROM meta").toArray()[0];
    if (!row) return;
    const spec = specOf(this.env, row.name);
    if (spec === null) return void (await this.ctx.storage.setAlarm(Date.now() + 60_000));
    if (spec === undefined) return void (await this.ctx.storage.deleteAll());
    const now = Date.now();
    // Early (a stale alarm, or one run by hand): nothing is due yet.
    if (row.next_at > now) return void (await this.ctx.storage.setAlarm(row.next_at));
    try {
      const figures = await this.named(spec, this.figures(row.name, row.next_at - spec.coversMs, row.next_at));
      await this.queue(spec, `digest:${row.name}:${new Date(row.next_at).toISOString()}`, figures);
      await this.moveTo(row.name, spec, nextSend(spec, now));
      this.failures = 0;
    } catch (e) {
      // The queue or KV down: not left to the runtime's few alarm retries; the same period again after a backoff.
      log("error", "digest send failed", { digest: row.name, outcome: "retry", error: errorText(e) });
      await this.ctx.storage.setAlarm(now + Math.min(3_600_000, 30_000 * 2 ** this.failures++));
    }
  }

  /**
   * The stored schedule (cached while in the future); set from the config when absent or when the config
   * moved it. Overdue, it is read again and the alarm set if none is: a send never stops for good.
   */
  private async scheduled(name: string, spec: Spec): Promise<number> {
    const now = Date.now();
    if (this.next !== undefined && this.next > now) return this.next;
    const stored = this.sql.exec<{ next_at: number }>("SELECT next_at FROM meta").toArray()[0]?.next_at;
    const wanted = nextSend(spec, now);
    // A time in the past is still due (the alarm sends it); one in the future gives way to a changed config.
    if (stored === undefined || (stored > now && stored !== wanted)) await this.moveTo(name, spec, wanted);
    else {
      this.next = stored;
      if ((await this.ctx.storage.getAlarm()) === null) await this.ctx.storage.setAlarm(stored);
    }
    return this.next ?? wanted;
  }

  private async moveTo(name: string, spec: Spec, next: number): Promise<void> {
    this.sql.exec(
      "INSERT INTO meta (id, name, next_at) VALUES (1, ?, ?) ON CONFLICT(id) DO UPDATE SET name = excluded.name, next_at = excluded.next_at",
      name,
      next,
    );
    this.sql.exec("DELETE FROM buckets WHERE start < ?", next - spec.coversMs);
    this.next = next;
    await this.ctx.storage.setAlarm(next);
  }

  private figures(name: string, from: number, to: number): DigestFigures {
    const rows = this.sql
      .exec<{ data: string }>("SELECT data FROM buckets WHERE start >= ? AND start < ?", from, to)
      .toArray();
    const buckets = rows.map((r) => JSON.parse(r.data) as Bucket);
    this.appCode = buckets.find((b) => b.w !== undefined)?.w;
    return combine(name, from, to, buckets);
  }

  /** The busiest tags and categories with their names, where the Open API is configured. */
  private async named(spec: Spec, figures: DigestFigures): Promise<DigestFigures> {
    const appCode = spec.digest.app_codes?.[0] ?? this.appCode;
    const ids = { tags: figures.tags.map((t) => t.id), categories: figures.categories.map((c) => c.id) };
    const lookup = nameLookup(
      this.env,
      spec.config,
      { session: ids },
      viewEvent({ type: "digest", triggerId: "-", appCode }),
    );
    if (!lookup || ids.tags.length + ids.categories.length === 0) return figures;
    const res = await lookup.resolve();
    const name = (id: string, n: string) => (n === id ? {} : { name: n });
    return {
      ...figures,
      tags: figures.tags.map((t) => ({ ...t, ...name(t.id, nameOf(res, "sessionTags", t.id)) })),
      categories: figures.categories.map((c) => ({ ...c, ...name(c.id, categoryPathText(res, c.id)) })),
    };
  }

  /** One message per destination; the longest waits carry that destination's `session_url` link. */
  private async queue(spec: Spec, triggerId: string, figures: DigestFigures): Promise<void> {
    const notice = { type: "digest", triggerId, ctime: figures.period.to, digest: figures };
    await enqueueNotice(this.env, notice, spec.digest.destinations, (destination) => {
      const url = (spec.config.destinations[destination] as { session_url?: string } | undefined)?.session_url;
      if (url === undefined) return JSON.stringify(notice);
      const longest = figures.firstAssignment.longest.map((l) => {
        const view = viewEvent({ type: "digest", triggerId, appCode: l.appCode, session: { id: l.session } });
        const link = renderLink(url, templateValues(view, { includeContact: false }));
        return link ? { ...l, link } : l;
      });
      return JSON.stringify({
        ...notice,
        digest: { ...figures, firstAssignment: { ...figures.firstAssignment, longest } },
      });
    });
  }
}
