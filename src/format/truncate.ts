/**
 * Cutting text to a destination's limit, for every formatter.
 *
 * Trade-off: lengths are counted in UTF-16 code units (JavaScript's
 * `length`), the strictest way a receiver could count its "characters", so an
 * emoji counts twice and a text may end a little shorter than needed; cuts
 * fall on code points (a surrogate pair is never split) but may still split a
 * grapheme cluster such as a ZWJ emoji.
 */

export const ELLIPSIS = "…";

/**
 * Cuts `text` to at most `max` UTF-16 code units, ending with `…` when cut.
 * Never splits a surrogate pair; runs in O(max), whatever the input's size.
 *
 * @example
 * truncate("안녕하세요", 4) // → "안녕하…"
 * truncate("short", 10)   // → "short"
 */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max < 1) return "";
  return text.slice(0, backOffSurrogate(text, max - 1)) + ELLIPSIS;
}

/**
 * `cut`, moved back by one when it would separate a high surrogate from its low half.
 *
 * @example
 * backOffSurrogate("a😀", 2) // → 1
 */
export function backOffSurrogate(text: string, cut: number): number {
  const code = text.charCodeAt(cut - 1);
  return code >= 0xd800 && code <= 0xdbff ? cut - 1 : cut;
}
