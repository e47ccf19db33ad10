/**
 * The one truncation: cut text to a receiver's limit, ending with `…`.
 *
 * Lengths are UTF-16 code units (JavaScript's `length`), the strictest way a
 * receiver could count its "characters"; a cut never splits a surrogate pair
 * (it may split a grapheme cluster such as a ZWJ emoji). Text that is already
 * escaped (HTML entities, mrkdwn entities, backslash escapes) passes a
 * `backOff` that shortens the kept part so no escape is left halved; the
 * formats' back-offs live with their escapers. Trade-off: one signature for
 * every caller, so the surrogate rule is written once, at the price of a
 * callback for the few callers that cut escaped text. A leaf: imports nothing.
 */

export const ELLIPSIS = "…";

/**
 * Shortens the kept part of a cut so it does not end inside an escape;
 * `text` is the whole text, for a back-off that must see past the cut.
 */
export type BackOff = (kept: string, text: string) => string;

/**
 * `text` cut to at most `max` UTF-16 code units, ending with `…` when cut.
 * Never splits a surrogate pair; runs in O(max), whatever the input's size.
 *
 * @example
 * truncate("안녕하세요", 4) // → "안녕하…"
 * truncate("short", 10)   // → "short"
 * truncate("a😀b", 3)     // → "a…"
 */
export function truncate(text: string, max: number, backOff?: BackOff): string {
  if (text.length <= max) return text;
  if (max < 1) return "";
  let end = max - 1;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  const kept = text.slice(0, end);
  return (backOff ? backOff(kept, text) : kept) + ELLIPSIS;
}
