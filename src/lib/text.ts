/**
 * Text on one line: whitespace and control characters (CR, LF, tabs…) collapsed to single
 * spaces, trimmed; "" for undefined. What every single-line value in a message goes through,
 * so a name holding "\n*Email*\n…" cannot forge a line of its own.
 *
 * @example
 * oneLine("Kim\r\n*Email*\tx") // → "Kim *Email* x"
 */
export function oneLine(value: string | undefined): string {
  return value === undefined ? "" : value.replace(/[\s\p{Cc}]+/gu, " ").trim();
}
