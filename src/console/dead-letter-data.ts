/**
 * Dead letters as the console pages need them, from the admin API's list
 * (`GET /admin/dead-letters`, newest first, paged by cursor): a page filtered
 * by destination, and the replay of a whole filtered list.
 *
 * Trade-off: the API has no destination filter, so a filtered page reads up
 * to FILTER_ROUNDS pages of 100 and keeps the matching ones; "Older" goes on
 * from where that stopped. Replay all replays at most MAX_REPLAY_ALL per
 * press (each an admin API call: KV, the claim object and the queue), which
 * keeps one request far below the Workers subrequest limit; the page says
 * when more are left.
 */
import { type ApiAnswer, adminApi, apiError } from "./api.ts";

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
export const MAX_REPLAY_ALL = 100;

type List = { items: DeadLetterItem[]; cursor: string | null };

/**
 * One page of dead letters, newest first, only `destination`'s when given.
 *
 * @example
 * await deadLetterPage(env, token, { destination: "ops" }) // → { items: [… up to 50+], cursor: "…" | null }
 */
export async function deadLetterPage(
  env: Env,
  token: string,
  opts: { destination?: string; cursor?: string; size?: number },
): Promise<ItemsPage> {
  const size = opts.size ?? PAGE_SIZE;
  const items: DeadLetterItem[] = [];
  let cursor: string | null = opts.cursor ?? null;
  const rounds = opts.destination ? FILTER_ROUNDS : 1;
  for (let round = 0; round < rounds && items.length < size; round++) {
    const q = new URLSearchParams({ limit: String(opts.destination ? 100 : size) });
    if (cursor) q.set("cursor", cursor);
    const answer: ApiAnswer<List> = await adminApi<List>(env, token, `/dead-letters?${q}`);
    if (answer.status !== 200) return { items, cursor: null, error: apiError(answer) };
    items.push(...answer.body.items.filter((i) => !opts.destination || i.destination === opts.destination));
    cursor = answer.body.cursor;
    if (cursor === null) break;
  }
  return { items, cursor };
}

export interface ReplayCount {
  replayed: number;
  refused: number;
  failed: number;
  /** True when the list held more than MAX_REPLAY_ALL: press again for the rest. */
  more: boolean;
}

/** Replays every dead letter of the filtered list once (at most MAX_REPLAY_ALL), counting the answers. */
export async function replayAll(env: Env, token: string, destination: string | undefined): Promise<ReplayCount> {
  const ids: string[] = [];
  let cursor: string | undefined;
  let more = false;
  for (;;) {
    const page = await deadLetterPage(env, token, { destination, cursor, size: MAX_REPLAY_ALL });
    if (page.error) throw new Error(page.error);
    for (const item of page.items) if (!ids.includes(item.id)) ids.push(item.id);
    if (ids.length >= MAX_REPLAY_ALL) {
      more = ids.length > MAX_REPLAY_ALL || page.cursor !== null;
      break;
    }
    if (page.cursor === null) break;
    cursor = page.cursor;
  }
  const count: ReplayCount = { replayed: 0, refused: 0, failed: 0, more };
  for (const id of ids.slice(0, MAX_REPLAY_ALL)) {
    const answer = await adminApi(env, token, `/dead-letters/${encodeURIComponent(id)}/replay`, { method: "POST" });
    if (answer.status === 202) count.replayed++;
    else if (answer.status === 404 || answer.status === 409 || answer.status === 410) count.refused++;
    else count.failed++;
  }
  return count;
}
