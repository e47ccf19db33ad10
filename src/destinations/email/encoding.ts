/**
 * What makes text safe to put into a mail message: header values on one line
 * and RFC 2047-encoded when they are not plain ASCII, bodies in base64.
 *
 * Header injection is stopped here: every CR, LF and other control character
 * becomes a space before a value reaches a header, so a customer's name or a
 * note can never end a header line and start another (`\r\nBcc: …`). Values
 * that are not printable ASCII (Korean), that look like an encoded-word
 * (`=?`), or that would make a line longer than 76 characters are written as
 * `=?UTF-8?B?…?=` encoded-words (RFC 2047 §2: at most 75 characters each,
 * whole characters only, lines holding them at most 76), folded onto
 * continuation lines (CRLF + space, RFC 5322 §2.2.3).
 *
 * Trade-off: a long ASCII value is encoded rather than folded at its spaces;
 * both decode to the same text in every mail client, and one code path is
 * easier to get right than two.
 */

const encoder = new TextEncoder();

/** RFC 2047 §2: "An 'encoded-word' may not be more than 75 characters long". */
const MAX_WORD = 75;
/** RFC 2047 §2: "each line of a header field that contains one or more 'encoded-word's is limited to 76 characters". */
const MAX_LINE = 76;
/** `=?UTF-8?B?` + `?=`. */
const WORD_OVERHEAD = 12;

/**
 * A value as one header line's worth of text: control characters (CR, LF,
 * tabs…) and runs of whitespace become one space; trimmed; lone surrogates
 * replaced (U+FFFD).
 *
 * @example
 * headerText("Kim\r\nBcc: evil@example.com") // → "Kim Bcc: evil@example.com"
 */
export function headerText(value: string): string {
  return value
    .toWellFormed()
    .replace(/[\s\p{Cc}]+/gu, " ")
    .trim();
}

/**
 * The value of header `name`, ready to follow `name: `: plain when it is
 * short printable ASCII, otherwise encoded-words folded to RFC 2047's limits.
 *
 * @example
 * encodeHeader("Subject", "Session closed")  // → "Session closed"
 * encodeHeader("Subject", "세션 종료: 김민지") // → "=?UTF-8?B?7IS47IWYIOyiheujjDog6rmA66+87KeA?="
 */
export function encodeHeader(name: string, value: string): string {
  const text = headerText(value);
  if (/^[\x20-\x7e]*$/.test(text) && !text.includes("=?") && name.length + 2 + text.length <= MAX_LINE) return text;
  // The first word shares its line with "Name: "; later ones follow a folding space.
  const words: string[] = [];
  let budget = wordBytes(MAX_LINE - name.length - 2);
  let chunk: number[] = [];
  for (const ch of text) {
    const bytes = encoder.encode(ch);
    if (chunk.length > 0 && chunk.length + bytes.length > budget) {
      words.push(word(chunk));
      chunk = [];
      budget = wordBytes(MAX_WORD);
    }
    chunk.push(...bytes);
  }
  if (chunk.length > 0 || words.length === 0) words.push(word(chunk));
  return words.join("\r\n ");
}

/** How many UTF-8 bytes fit an encoded-word of `length` characters (at least one character's worth). */
function wordBytes(length: number): number {
  return Math.max(4, Math.floor((Math.min(length, MAX_WORD) - WORD_OVERHEAD) / 4) * 3);
}

function word(bytes: readonly number[]): string {
  return `=?UTF-8?B?${base64(Uint8Array.from(bytes))}?=`;
}

/**
 * Standard base64 (RFC 4648 §4) of bytes.
 *
 * @example
 * base64(new TextEncoder().encode("가")) // → "6rCA"
 */
export function base64(bytes: Uint8Array): string {
  let binary = "";
  // String.fromCharCode takes arguments: go in slices well under the engine's argument limit.
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

/**
 * Text as a base64 MIME body (UTF-8), in lines of 76 characters joined by
 * CRLF. RFC 2045 §6.8: text is put in canonical form, line breaks as CRLF,
 * before it is encoded.
 *
 * @example
 * base64Body("안녕") // → "7JWI64WV"
 */
export function base64Body(text: string): string {
  const canonical = text.toWellFormed().replace(/\r\n|\r|\n/g, "\r\n");
  const encoded = base64(encoder.encode(canonical));
  const lines: string[] = [];
  for (let i = 0; i < encoded.length; i += 76) lines.push(encoded.slice(i, i + 76));
  return lines.join("\r\n");
}
