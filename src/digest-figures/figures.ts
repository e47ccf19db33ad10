/**
 * A digest's running aggregates (issue 14, docs/time.md): what one event adds
 * to an hour's bucket, and a period's figures combined from its buckets. Pure
 * data, no storage: src/digests/object.ts keeps one bucket per hour.
 *
 * Bounded whatever the traffic: a bucket keeps counters, at most MAX_KEYS
 * reasons, tags and categories (later new keys are not counted), at most
 * SAMPLE durations per figure (a reservoir beyond: each kept sample then
 * stands for n/SAMPLE sessions) and the three longest waits exactly.
 * Quantiles are nearest-rank over the weighted samples: exact while a bucket
 * holds at most SAMPLE sessions, an estimate beyond.
 *
 * Both durations come from the close event alone (Gitple's close carries
 * openTime, inprogressTime and closeTime): first assignment = inprogress −
 * open, handling = close − inprogress, so each session counts once, when it
 * closes, with no per-session row; a session closed unassigned has neither.
 */

/** Durations kept per bucket and figure; beyond, a reservoir. */
export const SAMPLE = 32;
/** Distinct reasons, tags or categories counted per bucket. */
export const MAX_KEYS = 100;
/** Busiest tags and categories listed. */
const TOP = 5;

/** What one event tells a digest (built by `digestNote`, or a timer firing, or a dead letter). */
export interface DigestNote {
  readonly kind: "open" | "close" | "timer" | "dead";
  /** When it happened (ms): the event's own time, never later than when it arrived. */
  readonly at: number;
  readonly appCode?: string;
  readonly session?: string;
  readonly reason?: string;
  readonly tags?: readonly string[];
  readonly categories?: readonly string[];
  /** Seconds from open to first assignment, and from assignment to close. */
  readonly assign?: number;
  readonly handle?: number;
}

/** Durations of one bucket: how many, a bounded sample, and (first assignment) the longest three. */
interface Sample {
  n: number;
  v: number[];
  top?: Longest[];
}

/** One of the longest waits: seconds, session id, appCode. */
export interface Longest {
  readonly seconds: number;
  readonly session: string;
  readonly appCode?: string;
}

/** An hour's aggregates, stored as JSON. */
export interface Bucket {
  o: number;
  c: number;
  t: number;
  d: number;
  r: Record<string, number>;
  g: Record<string, number>;
  k: Record<string, number>;
  a: Sample;
  h: Sample;
  /** The first appCode seen (names are looked up in its workspace). */
  w?: string;
}

/** The figures of a period, as `GET /admin/digests/:name/preview` answers and the notice carries. */
export interface DigestFigures {
  readonly digest: string;
  readonly period: { readonly from: string; readonly to: string };
  readonly sessions: { readonly opened: number; readonly closed: number };
  readonly closedByReason: Record<string, number>;
  readonly tags: readonly Counted[];
  readonly categories: readonly Counted[];
  readonly firstAssignment: { medianSeconds: number | null; p90Seconds: number | null; longest: readonly Longest[] };
  readonly handling: { medianSeconds: number | null; p90Seconds: number | null };
  readonly timersFired: number;
  readonly deadLetters: number;
}

/** A tag or category id, its name when the Open API knows it, and how many closed sessions had it. */
export interface Counted {
  readonly id: string;
  name?: string;
  readonly count: number;
}

const ms = (t: string | undefined): number | undefined => {
  const n = t === undefined ? Number.NaN : Date.parse(t);
  return Number.isNaN(n) ? undefined : n;
};
const seconds = (from: number | undefined, to: number | undefined): number | undefined =>
  from === undefined || to === undefined || to < from ? undefined : Math.round((to - from) / 1000);

/**
 * What a session event adds, or undefined for one that adds nothing (inprogress, messages).
 *
 * @example
 * digestNote(viewEvent(close), Date.now())
 * // → { kind: "close", at: …closeTime, reason: "userCancel", tags: […], assign: 0, handle: 520, session: "5cc6…" }
 */
export function digestNote(
  event: {
    type: string;
    appCode?: string;
    session?: {
      id?: string;
      openTime?: string;
      inprogressTime?: string;
      closeTime?: string;
      reason?: string;
      tags: string[];
      categories: string[];
    };
  },
  now: number,
): DigestNote | undefined {
  const s = event.session;
  const base = { ...(event.appCode !== undefined && { appCode: event.appCode }), ...(s?.id && { session: s.id }) };
  const at = (t: string | undefined) => Math.min(ms(t) ?? now, now);
  if (event.type === "session_state_open") return { kind: "open", at: at(s?.openTime), ...base };
  if (event.type !== "session_state_close") return undefined;
  const [open, assigned, closed] = [ms(s?.openTime), ms(s?.inprogressTime), ms(s?.closeTime)];
  const assign = seconds(open, assigned);
  const handle = seconds(assigned, closed);
  return {
    kind: "close",
    at: at(s?.closeTime),
    ...base,
    reason: s?.reason ?? "unknown",
    tags: s?.tags ?? [],
    categories: s?.categories ?? [],
    ...(assign !== undefined && { assign }),
    ...(handle !== undefined && { handle }),
  };
}

/** An empty bucket. */
export const emptyBucket = (): Bucket => ({
  o: 0,
  c: 0,
  t: 0,
  d: 0,
  r: {},
  g: {},
  k: {},
  a: { n: 0, v: [] },
  h: { n: 0, v: [] },
});

function bump(map: Record<string, number>, key: string): void {
  if (Object.hasOwn(map, key)) map[key] = (map[key] ?? 0) + 1;
  else if (Object.keys(map).length < MAX_KEYS) map[key] = 1;
}

function sample(s: Sample, value: number, random: () => number): void {
  s.n++;
  if (s.v.length < SAMPLE) s.v.push(value);
  else {
    const j = Math.floor(random() * s.n);
    if (j < SAMPLE) s.v[j] = value;
  }
}

/**
 * Adds one note to a bucket (in place).
 *
 * @example
 * const b = emptyBucket(); addNote(b, { kind: "open", at: Date.now() }); b.o // 1
 */
export function addNote(b: Bucket, n: DigestNote, random: () => number = Math.random): void {
  if (b.w === undefined && n.appCode !== undefined) b.w = n.appCode;
  if (n.kind === "open") b.o++;
  else if (n.kind === "timer") b.t++;
  else if (n.kind === "dead") b.d++;
  else {
    b.c++;
    bump(b.r, n.reason ?? "unknown");
    for (const tag of new Set(n.tags)) bump(b.g, tag);
    for (const category of new Set(n.categories)) bump(b.k, category);
    if (n.handle !== undefined) sample(b.h, n.handle, random);
    if (n.assign !== undefined) {
      sample(b.a, n.assign, random);
      const top = [
        ...(b.a.top ?? []),
        { seconds: n.assign, session: n.session ?? "", ...(n.appCode && { appCode: n.appCode }) },
      ];
      b.a.top = longest(top);
    }
  }
}

const longest = (items: readonly Longest[]): Longest[] => [...items].sort((x, y) => y.seconds - x.seconds).slice(0, 3);

/**
 * The nearest-rank quantile of weighted values: the smallest value whose cumulative weight reaches q of the total.
 *
 * @example
 * quantile([[1, 1], [2, 1], [3, 1], [4, 1]], 0.5) // 2
 */
export function quantile(values: readonly (readonly [value: number, weight: number])[], q: number): number | null {
  const sorted = [...values].sort((x, y) => x[0] - y[0]);
  const total = sorted.reduce((sum, [, w]) => sum + w, 0);
  let cumulative = 0;
  for (const [value, weight] of sorted) {
    cumulative += weight;
    if (cumulative >= q * total - 1e-9) return value;
  }
  return null;
}

function durations(samples: readonly Sample[]) {
  const weighted = samples.flatMap((s) => s.v.map((v) => [v, s.n / s.v.length] as const));
  return { medianSeconds: quantile(weighted, 0.5), p90Seconds: quantile(weighted, 0.9) };
}

function busiest(maps: readonly Record<string, number>[]): Counted[] {
  const sum = sumMaps(maps);
  return Object.entries(sum)
    .sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1))
    .slice(0, TOP)
    .map(([id, count]) => ({ id, count }));
}

function sumMaps(maps: readonly Record<string, number>[]): Record<string, number> {
  const sum: Record<string, number> = {};
  for (const m of maps) for (const [key, n] of Object.entries(m)) sum[key] = (sum[key] ?? 0) + n;
  return sum;
}

/**
 * A period's figures from its buckets.
 *
 * @example
 * combine("daily", from, to, [bucket1, bucket2]).sessions // { opened: 12, closed: 10 }
 */
export function combine(digest: string, from: number, to: number, buckets: readonly Bucket[]): DigestFigures {
  const total = (key: "o" | "c" | "t" | "d") => buckets.reduce((sum, b) => sum + b[key], 0);
  return {
    digest,
    period: { from: new Date(from).toISOString(), to: new Date(to).toISOString() },
    sessions: { opened: total("o"), closed: total("c") },
    closedByReason: sumMaps(buckets.map((b) => b.r)),
    tags: busiest(buckets.map((b) => b.g)),
    categories: busiest(buckets.map((b) => b.k)),
    firstAssignment: {
      ...durations(buckets.map((b) => b.a)),
      longest: longest(buckets.flatMap((b) => b.a.top ?? [])),
    },
    handling: durations(buckets.map((b) => b.h)),
    timersFired: total("t"),
    deadLetters: total("d"),
  };
}
