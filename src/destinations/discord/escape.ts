/**
 * Discord markdown escaping for text that comes from a payload.
 *
 * Discord's markdown honours a backslash before any punctuation
 * (https://support.discord.com/hc/en-us/articles/210298617, "Using backslash"),
 * so the marks that style, hide, quote or link (`\ * _ ~ ` | > # [ ]`, and a
 * list or `-#` marker at the start of a line) get one. Mentions are
 * neutralised twice: the message sets `allowed_mentions: { parse: [] }`, so
 * nothing pings whatever the text says, and a zero-width space after `@` in
 * `@everyone`/`@here` and after every `<` stops `<@123>`, `<@&role>`, `<#chan>`
 * and `</cmd:1>` from even rendering as a mention.
 *
 * Trade-off: the zero-width space stays in the text, so copying a customer's
 * `@here` out of Discord copies it too.
 */

const ZWSP = "\u200b";

/**
 * @example
 * escapeDiscord("**hi** @everyone <@123>") // → "\\*\\*hi\\*\\* @\u200beveryone <\u200b@123>"
 */
export function escapeDiscord(text: string): string {
  return text
    .replace(/[\\*_~`|>#[\]]/g, "\\$&")
    .replace(/^([ \t]*)(?:([-+])|(\d+)\.)(?=[ \t]|$)/gm, (_, lead, bullet, number) =>
      bullet ? `${lead}\\${bullet}` : `${lead}${number}\\.`,
    )
    .replace(/@(everyone|here)/gi, `@${ZWSP}$1`)
    .replace(/</g, `<${ZWSP}`);
}
