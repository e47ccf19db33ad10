/** @jsxImportSource hono/jsx */
/**
 * A Slack Block Kit message drawn close to how Slack shows it: header,
 * sections (mrkdwn text or two-column fields), buttons, context, divider.
 * mrkdwn becomes basic formatting: `*bold*`, `_italic_`, `~strike~`,
 * `` `code` ``, `<url|label>` links and `<!here>`-style mentions
 * (https://docs.slack.dev/messaging/formatting-message-text). Every piece is
 * a JSX text node, so hono/jsx escapes it; a link is a link only when its
 * URL is http(s) or mailto, else it shows as text.
 */
import type { Child } from "hono/jsx";

type Text = { type?: string; text?: string };
type Block = { type?: string; text?: Text; fields?: Text[]; elements?: (Text & { url?: string })[] };

// Bold, italic and strike open and close only at a word's edge: \`session_state_close\` stays as it is.
const TOKEN =
  /<([^<>]+)>|(?<![\p{L}\p{N}_*])\*([^*\n]+)\*(?![\p{L}\p{N}_*])|(?<![\p{L}\p{N}_])_([^_\n]+)_(?![\p{L}\p{N}_])|(?<![\p{L}\p{N}_~])~([^~\n]+)~(?![\p{L}\p{N}_~])|`([^`\n]+)`/gu;
const SAFE_URL = /^(https?:\/\/|mailto:)/i;

/** Slack's three escapes (&amp; &lt; &gt;) back to characters; hono/jsx escapes them again for HTML. */
const unslack = (s: string): string => s.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");

function link(inner: string): Child {
  const bar = inner.indexOf("|");
  const target = bar === -1 ? inner : inner.slice(0, bar);
  const label = unslack(bar === -1 ? inner : inner.slice(bar + 1));
  if (target.startsWith("!") || target.startsWith("@") || target.startsWith("#")) {
    const name = target.replace(/^!/, "@").split("^")[0] ?? target;
    return <span class="sk-mention">{bar === -1 ? unslack(name) : label}</span>;
  }
  const url = unslack(target);
  return SAFE_URL.test(url) ? (
    <a href={url} rel="noreferrer noopener" target="_blank">
      {label}
    </a>
  ) : (
    label
  );
}

/**
 * @example
 * <Mrkdwn text="*Note*\n&lt;script&gt; <https://x.test|open>" />  // <b>Note</b>\n&lt;script&gt; <a href="https://x.test">open</a>
 */
export function Mrkdwn(props: { text: string }): Child {
  const out: Child[] = [];
  let at = 0;
  for (const m of props.text.matchAll(TOKEN)) {
    if (m.index > at) out.push(unslack(props.text.slice(at, m.index)));
    const [, inner, bold, italic, strike, code] = m;
    if (inner !== undefined) out.push(link(inner));
    else if (bold !== undefined) out.push(<b>{unslack(bold)}</b>);
    else if (italic !== undefined) out.push(<i>{unslack(italic)}</i>);
    else if (strike !== undefined) out.push(<s>{unslack(strike)}</s>);
    else if (code !== undefined) out.push(<code>{unslack(code)}</code>);
    at = m.index + m[0].length;
  }
  if (at < props.text.length) out.push(unslack(props.text.slice(at)));
  return <>{out}</>;
}

function TextObject(props: { t: Text | undefined }): Child {
  const t = props.t;
  if (!t || typeof t.text !== "string") return null;
  return t.type === "mrkdwn" ? <Mrkdwn text={t.text} /> : t.text;
}

function BlockView(props: { block: Block }): Child {
  const b = props.block;
  switch (b.type) {
    case "header":
      return <div class="sk-header">{b.text?.text ?? ""}</div>;
    case "section":
      return (
        <>
          {b.text && (
            <div class="sk-section">
              <TextObject t={b.text} />
            </div>
          )}
          {b.fields && (
            <div class="sk-fields">
              {b.fields.map((f) => (
                <div>
                  <TextObject t={f} />
                </div>
              ))}
            </div>
          )}
        </>
      );
    case "context":
      return (
        <div class="sk-context">
          {(b.elements ?? []).map((e) => (
            <TextObject t={e} />
          ))}
        </div>
      );
    case "actions":
      return (
        <div>
          {(b.elements ?? []).map((e) => {
            const label = typeof e.text === "object" ? (e.text as Text).text : e.text;
            return e.url && SAFE_URL.test(e.url) ? (
              <a class="sk-button" href={e.url} rel="noreferrer noopener" target="_blank">
                {label ?? "button"}
              </a>
            ) : (
              <span class="sk-button">{label ?? "button"}</span>
            );
          })}
        </div>
      );
    case "divider":
      return <hr />;
    default:
      return <pre>{JSON.stringify(b, null, 2)}</pre>;
  }
}

/** A Slack message body (`{ text, blocks }`), as a message in a channel. */
export function SlackMessage(props: { body: unknown }): Child {
  const body = (props.body ?? {}) as { text?: unknown; blocks?: unknown };
  const blocks = Array.isArray(body.blocks) ? (body.blocks as Block[]) : [];
  return (
    <div class="sk">
      <div class="sk-who">
        gitple-relay<span>APP</span>
      </div>
      {blocks.length === 0 && typeof body.text === "string" ? (
        <div class="sk-section">
          <Mrkdwn text={body.text} />
        </div>
      ) : (
        blocks.map((b) => <BlockView block={b} />)
      )}
    </div>
  );
}
