/**
 * A Slack Block Kit message drawn close to how Slack shows it: header,
 * sections (mrkdwn text or two-column fields), buttons, context, divider.
 * mrkdwn becomes basic formatting: `*bold*`, `_italic_`, `~strike~`,
 * `` `code` ``, `<url|label>` links and `<!here>`-style mentions
 * (https://docs.slack.dev/messaging/formatting-message-text). Every piece is
 * interpolated into hono/html's `html`, which escapes it; a link is a link
 * only when its URL is http(s) or mailto, else it shows as text. No white
 * space between tags: Slack's parts are `white-space: pre-wrap`.
 */
import { html } from "hono/html";
import type { Html } from "./layout.ts";

type Text = { type?: string; text?: string };
type Block = { type?: string; text?: Text; fields?: Text[]; elements?: (Text & { url?: string })[] };

// Bold, italic and strike open and close only at a word's edge: \`session_state_close\` stays as it is.
const TOKEN =
  /<([^<>]+)>|(?<![\p{L}\p{N}_*])\*([^*\n]+)\*(?![\p{L}\p{N}_*])|(?<![\p{L}\p{N}_])_([^_\n]+)_(?![\p{L}\p{N}_])|(?<![\p{L}\p{N}_~])~([^~\n]+)~(?![\p{L}\p{N}_~])|`([^`\n]+)`/gu;
const SAFE_URL = /^(https?:\/\/|mailto:)/i;

/** Slack's three escapes (&amp; &lt; &gt;) back to characters; `html` escapes them again for HTML. */
const unslack = (s: string): string => s.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");

function link(inner: string): Html | string {
  const bar = inner.indexOf("|");
  const target = bar === -1 ? inner : inner.slice(0, bar);
  const label = unslack(bar === -1 ? inner : inner.slice(bar + 1));
  if (target.startsWith("!") || target.startsWith("@") || target.startsWith("#")) {
    const name = target.replace(/^!/, "@").split("^")[0] ?? target;
    return html`<span class="sk-mention">${bar === -1 ? unslack(name) : label}</span>`;
  }
  const url = unslack(target);
  return SAFE_URL.test(url) ? html`<a href="${url}" rel="noreferrer noopener" target="_blank">${label}</a>` : label;
}

/**
 * @example
 * Mrkdwn({ text: "*Note*\n&lt;script&gt; <https://x.test|open>" })  // <b>Note</b>\n&lt;script&gt; <a href="https://x.test" …>open</a>
 */
export function Mrkdwn(props: { text: string }): Html {
  const out: unknown[] = [];
  let at = 0;
  for (const m of props.text.matchAll(TOKEN)) {
    if (m.index > at) out.push(unslack(props.text.slice(at, m.index)));
    const [, inner, bold, italic, strike, code] = m;
    if (inner !== undefined) out.push(link(inner));
    else if (bold !== undefined) out.push(html`<b>${unslack(bold)}</b>`);
    else if (italic !== undefined) out.push(html`<i>${unslack(italic)}</i>`);
    else if (strike !== undefined) out.push(html`<s>${unslack(strike)}</s>`);
    else if (code !== undefined) out.push(html`<code>${unslack(code)}</code>`);
    at = m.index + m[0].length;
  }
  if (at < props.text.length) out.push(unslack(props.text.slice(at)));
  return html`${out}`;
}

const textObject = (t: Text | undefined): unknown =>
  t && typeof t.text === "string" ? (t.type === "mrkdwn" ? Mrkdwn({ text: t.text }) : t.text) : undefined;

function block(b: Block): Html {
  switch (b.type) {
    case "header":
      return html`<div class="sk-header">${b.text?.text ?? ""}</div>`;
    case "section":
      return html`${b.text && html`<div class="sk-section">${textObject(b.text)}</div>`}${
        b.fields && html`<div class="sk-fields">${b.fields.map((f) => html`<div>${textObject(f)}</div>`)}</div>`
      }`;
    case "context":
      return html`<div class="sk-context">${(b.elements ?? []).map(textObject)}</div>`;
    case "actions":
      return html`<div>${(b.elements ?? []).map((e) => {
        const label = (typeof e.text === "object" ? (e.text as Text).text : e.text) ?? "button";
        return e.url && SAFE_URL.test(e.url)
          ? html`<a class="sk-button" href="${e.url}" rel="noreferrer noopener" target="_blank">${label}</a>`
          : html`<span class="sk-button">${label}</span>`;
      })}</div>`;
    case "divider":
      return html`<hr>`;
    default:
      return html`<pre>${JSON.stringify(b, null, 2)}</pre>`;
  }
}

/** A Slack message body (`{ text, blocks }`), as a message in a channel. */
export function SlackMessage(props: { body: unknown }): Html {
  const body = (props.body ?? {}) as { text?: unknown; blocks?: unknown };
  const blocks = Array.isArray(body.blocks) ? (body.blocks as Block[]) : [];
  return html`<div class="sk"><div class="sk-who">gitple-relay<span>APP</span></div>${
    blocks.length === 0 && typeof body.text === "string"
      ? html`<div class="sk-section">${Mrkdwn({ text: body.text })}</div>`
      : blocks.map(block)
  }</div>`;
}
