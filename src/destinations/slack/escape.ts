/**
 * Slack mrkdwn escaping and length limits for text that comes from a payload.
 *
 * Slack's "Escaping text" rule (https://docs.slack.dev/messaging/formatting-message-text#escaping-text):
 * `&`, `<` and `>` are control characters and must become `&amp;`, `&lt;`,
 * `&gt;`; nothing else may be entity-encoded. That alone stops a customer's
 * `<!channel>`, `<!here>` or `<@U123>` from pinging anyone or forging a link.
 * Formatting marks (`*`, `_`, `~`, backticks) are left alone: they can only
 * style text, and stripping them would mangle real messages.
 *
 * Trade-off: lengths are counted in UTF-16 code units, the strictest way Slack
 * could count its "characters", so an emoji counts twice and a text may end a
 * little shorter than needed; cuts fall on code points (a surrogate pair is
 * never split) but may still split a grapheme cluster such as a ZWJ emoji.
 */

const ELLIPSIS = "…";

/**
 * Escapes Slack's three control characters, and only those.
 *
 * @example
 * escapeMrkdwn("<!channel> Tom & Jerry") // → "&lt;!channel&gt; Tom &amp; Jerry"
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/[&<>]/g, (c) => (c === "&" ? "&amp;" : c === "<" ? "&lt;" : "&gt;"));
}

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
 * Escapes, then truncates to `max` without cutting an entity (`&amp;`, `&lt;`,
 * `&gt;`) in half, so the result is always valid mrkdwn within the limit.
 *
 * @example
 * escapeTruncate("a & b", 5) // → "a …"   (not "a &a…")
 */
export function escapeTruncate(text: string, max: number): string {
  // Escaping only lengthens text, so the first max + 1 units decide whether (and where) it is cut.
  const escaped = escapeMrkdwn(text.length > max ? text.slice(0, max + 1) : text);
  if (escaped.length <= max) return escaped;
  if (max < 1) return "";
  let cut = backOffSurrogate(escaped, max - 1);
  // Every `&` in escaped text starts an entity; one whose `;` lies past the cut would be halved.
  const amp = escaped.lastIndexOf("&", cut - 1);
  if (amp !== -1 && escaped.indexOf(";", amp) >= cut) cut = amp;
  return escaped.slice(0, cut) + ELLIPSIS;
}

/** `cut`, moved back by one when it would separate a high surrogate from its low half. */
function backOffSurrogate(text: string, cut: number): number {
  const code = text.charCodeAt(cut - 1);
  return code >= 0xd800 && code <= 0xdbff ? cut - 1 : cut;
}
