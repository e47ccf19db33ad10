/**
 * Cutting and measuring text for the chat kinds (Discord, Teams, Google Chat),
 * each of which rejects a message over its own limits with a 400 that a retry
 * cannot heal: a cut message is better than a dead letter.
 *
 * Texts are cut after escaping, so a cut could halve an escape; `cut` backs
 * off so it never leaves half an HTML entity (`&am`), half a tag (`<b`) or a
 * lone trailing backslash. Trade-off: the back-off is a heuristic over the
 * last few characters, not a parser, so a literal `<` or `&` near the cut may
 * cost a few more characters than needed. Lengths are UTF-16 code units (the
 * strictest way a service can count its "characters"); a surrogate pair is
 * never split, a grapheme cluster (a ZWJ emoji) may be.
 */
import { truncate } from "../../lib/truncate.ts";

/** An unterminated entity or tag this close to the cut is removed whole. */
const ENTITY_WINDOW = 10;
const TAG_WINDOW = 40;

const encoder = new TextEncoder();

/**
 * `text` cut to at most `max` UTF-16 code units, ending in `…` when cut, never
 * ending inside a surrogate pair, an HTML entity, a tag or a backslash escape.
 *
 * @example
 * cut("안녕하세요", 4)       // → "안녕하…"
 * cut("a &amp; b", 6)       // → "a …"
 * cut("short", 10)          // → "short"
 */
export function cut(text: string, max: number): string {
  return truncate(text, max, (kept) => {
    let out = kept;
    const amp = out.lastIndexOf("&");
    if (amp !== -1 && amp >= out.length - ENTITY_WINDOW && !out.includes(";", amp)) out = out.slice(0, amp);
    const lt = out.lastIndexOf("<");
    if (lt !== -1 && lt >= out.length - TAG_WINDOW && !out.includes(">", lt)) out = out.slice(0, lt);
    const slashes = out.length - out.replace(/\\+$/, "").length;
    return slashes % 2 === 1 ? out.slice(0, -1) : out;
  });
}

/**
 * Size of a payload as the service counts it: the bytes of its JSON.
 *
 * @example
 * jsonBytes({ text: "가" }) // → 14
 */
export function jsonBytes(payload: unknown): number {
  return encoder.encode(JSON.stringify(payload)).byteLength;
}

/** Per-value caps tried in turn until a message fits its service's total limit. */
const CAPS = [Number.POSITIVE_INFINITY, 8192, 4096, 2048, 1024, 512, 256, 128, 64] as const;

/**
 * Builds a message with ever smaller per-value caps until `fits` accepts it;
 * the smallest cap's message if none does (the kinds' limits are set so that
 * it always does: at 64 units per value every message is a few KB).
 *
 * @example
 * fitWithin((cap) => ({ text: cut(longText, Math.min(cap, 4096)) }), (p) => jsonBytes(p) <= 32_000)
 */
export function fitWithin<T>(build: (cap: number) => T, fits: (payload: T) => boolean): T {
  let payload = build(CAPS[0]);
  for (const cap of CAPS.slice(1)) {
    if (fits(payload)) return payload;
    payload = build(cap);
  }
  return payload;
}
