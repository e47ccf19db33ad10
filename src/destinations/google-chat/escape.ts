/**
 * Escaping for Google Chat, for text that comes from a payload.
 *
 * Card text (`decoratedText`, `textParagraph`) takes a small HTML subset
 * (https://developers.google.com/workspace/chat/format-messages#card-formatting):
 * payload text is HTML-escaped, so `</script>` or `<a href>` are shown, never
 * parsed, and line breaks become `<br>`. The message's top-level `text` uses
 * Chat's own markup, where `<users/all>` mentions everyone and `<url|label>`
 * forges a link: a zero-width space after every `<` defuses both.
 *
 * Trade-off: card header titles are plain text (no markup at all), so they
 * are not escaped, only put on one line.
 */

const ZWSP = "\u200b";

const ENTITIES: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/**
 * @example
 * escapeChatHtml("</script> & co\nnext") // → "&lt;/script&gt; &amp; co<br>next"
 */
export function escapeChatHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c).replace(/\n/g, "<br>");
}

/**
 * @example
 * neutraliseChatText("<users/all> hi") // → "<\u200busers/all> hi"
 */
export function neutraliseChatText(text: string): string {
  return text.replace(/</g, `<${ZWSP}`);
}
