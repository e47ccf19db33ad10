/**
 * Dead letters as the console pages need them, from the admin API's list
 * (`GET /admin/dead-letters`, newest first, paged by cursor): a page filtered
 * by destination, and Replay all over the filtered list, a bounded part a press.
 *
 * Trade-off: the API has no destination filter, so a filtered page reads up
 * to FILTER_ROUNDS pages of 100 and keeps the matching ones; "Older" goes on
 * from where that stopped. One press of Replay all reads at most LIST_ROUNDS
 * pages (a KV list and a bulk get each, normally) and replays at most
 * MAX_REPLAY_ALL (each ~5 subrequests: KV get, the claim object, KV put and
 * delete, the queue): about 44 subrequests, under the Free plan's 50 per
 * request (Paid: 1000). The page says when more are left, and the next press
 * goes on from where this one stopped.
 */
import { adminApi, apiError } from "./api.ts";

export interface DeadLetterItem {
  id: string;
  triggerId: string;
  destination: string;
  reason: string;
  attempts: number;
  deadAt: string;
}

export interface ItemsPage {
  items: DeadLetterItem[];
  cursor: string | null;
  error?: string;
}

export const PAGE_SIZE = 50;
const FILTER_ROUNDS = 5;
/** Replay all's work per press: ≤ 2 × (KV list + bulk get) + 8 × ~5 (KV get, claim, KV put and delete, queue). */
export const MAX_REPLAY_ALL = 8;
const LIST_ROUNDS = 2;

type List = { items: DeadLetterItem[]; cursor: string | null };

/** One read of the API's list: `limit` (≤ 100) from `cursor`, only `destination`'s ids kept. Throws its error. */
async function listed(env: Env, token: string, limit: number, cursor: string | null, destination?: string) {
  const q = new URLSearchParams({ limit: String(destination ? 100 : limit) });
  if (cursor) q.set("cursor", cursor);
  const answer = await adminApi<List>(env, token, `/dead-letters?${q}`);
  if (answer.status !== 200) throw new Error(apiError(answer));
  return {
    items: answer.body.items.filter((i) => !destination || i.destination === destination),
    cursor: answer.body.cursor,
  };
}

/**
 * One page of dead letters, newest first, only `destination`'s when given.
 *
 * @example
 * await deadLetterPage(env, token, { destination: "ops" }) // → { items: [… up to 50+], cursor: "…" | null }
 */
export async function deadLetterPage(
  env: Env,
  token: string,
  opts: { destination?: string; cursor?: string },
): Promise<ItemsPage> {
  const items: DeadLetterItem[] = [];
  let cursor: string | null = opts.cursor ?? null;
  try {
    for (let round = 0; round < (opts.destination ? FILTER_ROUNDS : 1) && items.length < PAGE_SIZE; round++) {
      const page = await listed(env, token, PAGE_SIZE, cursor, opts.destination);
      items.push(...page.items);
      cursor = page.cursor;
      if (cursor === null) break;
    }
  } catch (e) {
    return { items, cursor: null, error: (e as Error).message };
  }
  return { items, cursor };
}

export interface ReplayCount {
  replayed: number;
  refused: number;
  failed: number;
  /** Where the next press goes on ("" from the newest), or null when the list is done. */
  next: string | null;
}

/**
 * Replays the filtered list's dead letters once each, at most MAX_REPLAY_ALL
 * from LIST_ROUNDS list reads, starting at `from` (a list cursor). A page
 * read but not finished is read again by the next press: the replayed ones
 * have left the list.
 */
export async function replayAll(env: Env, token: string, destination?: string, from?: string): Promise<ReplayCount> {
  const count: ReplayCount = { replayed: 0, refused: 0, failed: 0, next: null };
  let cursor = from || null;
  let left = MAX_REPLAY_ALL;
  for (let round = 0; round < LIST_ROUNDS; round++) {
    const { items, cursor: after } = await listed(env, token, left, cursor, destination);
    for (const item of items.slice(0, left)) {
      const answer = await adminApi(env, token, `/dead-letters/${encodeURIComponent(item.id)}/replay`, {
        method: "POST",
      });
      count[answer.status === 202 ? "replayed" : [404, 409, 410].includes(answer.status) ? "refused" : "failed"]++;
    }
    if (items.length > left) return { ...count, next: cursor ?? "" };
    left -= items.length;
    cursor = after;
    if (cursor === null || left === 0) break;
  }
  return { ...count, next: cursor };
}
