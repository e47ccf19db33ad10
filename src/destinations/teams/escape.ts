/**
 * Markdown escaping for Adaptive Card text in Teams, for text that comes from
 * a payload. TextBlock and FactSet text support a Markdown subset (bold,
 * italic, lists, links: https://learn.microsoft.com/microsoftteams/platform/task-modules-and-cards/cards/cards-format);
 * HTML is not rendered. So the marks of that subset get a backslash
 * (`\ * _ ~ ` [ ]`, and a list marker at the start of a line), which stops a
 * customer's text from styling the card or forging a `[link](url)`. Line
 * breaks become `\n\n`, the only break a TextBlock keeps outside a list.
 *
 * Trade-off: some Teams mobile clients show the backslash instead of hiding
 * it (MicrosoftDocs/msteams-docs#5793); a visible backslash is cosmetic, a
 * forged link is not. Mentions need `msteams.entities`, which the relay never
 * sends, so `<at>` in a payload is plain text.
 */

/**
 * @example
 * escapeTeams("[click](https://evil.example) **now**") // → "\\[click\\](https://evil.example) \\*\\*now\\*\\*"
 */
export function escapeTeams(text: string): string {
  return text
    .replace(/[\\*_~`[\]]/g, "\\$&")
    .replace(/^([ \t]*)(?:([-+])|(\d+)\.)(?=[ \t]|$)/gm, (_, lead, bullet, number) =>
      bullet ? `${lead}\\${bullet}` : `${lead}${number}\\.`,
    )
    .replace(/\n/g, "\n\n");
}
