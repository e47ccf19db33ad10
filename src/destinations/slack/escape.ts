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
 * Lengths are counted as src/lib/truncate.ts says (UTF-16 code units,
 * never splitting a surrogate pair).
 */
import { truncate } from "../../lib/truncate.ts";

export { truncate };

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
 * Escapes, then truncates to `max` without cutting an entity (`&amp;`, `&lt;`,
 * `&gt;`) in half, so the result is always valid mrkdwn within the limit.
 *
 * @example
 * escapeTruncate("a & b", 5) // → "a …"   (not "a &a…")
 */
export function escapeTruncate(text: string, max: number): string {
  // Escaping only lengthens text, so the first max + 1 units decide whether (and where) it is cut.
  const escaped = escapeMrkdwn(text.length > max ? text.slice(0, max + 1) : text);
  // Every `&` in escaped text starts an entity; one whose `;` lies past the cut would be halved.
  return truncate(escaped, max, (kept) => {
    const amp = kept.lastIndexOf("&");
    return amp !== -1 && !kept.includes(";", amp) ? kept.slice(0, amp) : kept;
  });
}

/**
 * Cuts mrkdwn that is already escaped (an operator's template with escaped
 * values) to `max`, never inside an entity (`&amp;`, `&lt;`, `&gt;`).
 * Unlike `escapeTruncate`, a `&` here may be the operator's own, so only a `&`
 * that starts a cut-off entity moves the cut.
 *
 * @example
 * truncateEscaped("Tom &amp; Jerry", 7) // → "Tom …"   (not "Tom &a…")
 * truncateEscaped("A & B rocks", 6)     // → "A & B…"
 */
export function truncateEscaped(text: string, max: number): string {
  return truncate(text, max, (kept, whole) => {
    const amp = kept.lastIndexOf("&");
    const entity = amp !== -1 && /^&(?:amp|lt|gt);/.test(whole.slice(amp, amp + 5));
    return entity && !kept.includes(";", amp) ? kept.slice(0, amp) : kept;
  });
}
