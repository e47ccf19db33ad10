// What makes a Slack message safe to post, checked on what the fake receiver
// got: Block Kit limits (https://docs.slack.dev/reference/block-kit/blocks),
// escaped mrkdwn, no control characters and no lone surrogates. Used on every
// hostile event that reaches delivery and by the formatter's property tests.
import { SLACK_LIMITS } from "../../src/destinations/slack/format.ts";

type Json = Record<string, unknown>;

/** Every problem with a Slack webhook body; [] when it is safe. */
export function slackProblems(payload: unknown): string[] {
  const bad: string[] = [];
  const p = (typeof payload === "string" ? JSON.parse(payload) : payload) as Json;
  const check = (what: string, text: unknown, max: number, markup: boolean) => {
    if (typeof text !== "string") return void bad.push(`${what}: not a string`);
    if (text.length < 1 || text.length > max) bad.push(`${what}: length ${text.length} not in 1..${max}`);
    if (!text.isWellFormed()) bad.push(`${what}: lone surrogate`);
    if (/[^\P{Cc}\n\t]/u.test(text)) bad.push(`${what}: control character`);
    // mrkdwn: `<` and `>` only as escapes (so no `<!channel>`, `<@U1>` or `<url|link>`), every `&` an entity.
    if (markup && (/[<>]/.test(text) || text.replace(/&(?:amp|lt|gt);/g, "").includes("&"))) {
      bad.push(`${what}: unescaped mrkdwn: ${text.slice(0, 80)}`);
    }
  };
  check("text", p.text, SLACK_LIMITS.text, true);
  const blocks = Array.isArray(p.blocks) ? (p.blocks as Json[]) : [];
  if (blocks.length < 1 || blocks.length > SLACK_LIMITS.blocks) bad.push(`${blocks.length} blocks`);
  for (const [i, b] of blocks.entries()) {
    const text = b.text as Json | undefined;
    if (b.type === "header")
      check(`blocks[${i}] header`, text?.text, SLACK_LIMITS.headerText, text?.type !== "plain_text");
    else if (b.type === "section" && text) check(`blocks[${i}] section`, text.text, SLACK_LIMITS.sectionText, true);
    else if (b.type === "section") {
      const fields = (b.fields ?? []) as Json[];
      if (fields.length < 1 || fields.length > SLACK_LIMITS.fields) bad.push(`blocks[${i}]: ${fields.length} fields`);
      for (const f of fields) check(`blocks[${i}] field`, f.text, SLACK_LIMITS.fieldText, true);
    } else if (b.type === "context") {
      for (const e of (b.elements ?? []) as Json[])
        check(`blocks[${i}] context`, e.text, SLACK_LIMITS.sectionText, true);
    } else if (b.type === "actions") {
      for (const e of (b.elements ?? []) as Json[]) check(`blocks[${i}] url`, e.url, SLACK_LIMITS.buttonUrl, false);
    } else bad.push(`blocks[${i}]: unexpected type ${String(b.type)}`);
  }
  return bad;
}
