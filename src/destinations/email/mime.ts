/**
 * The MIME message the `send_email` binding takes: Date, From, To,
 * Message-ID, Subject, the caller's extra headers, and a text/plain and a
 * text/html part (multipart/alternative, RFC 2046 §5.1.4), both base64.
 *
 * Trade-off: written here rather than with mimetext, which Cloudflare's
 * docs use. Of what mimetext does, this module had already replaced the
 * hard parts (the Subject's and the sender's encoding: mimetext writes each
 * as ONE encoded-word however long, past RFC 2047's 75 characters; header
 * values made single-line; base64 bodies, all in encoding.ts); what was left
 * is the fixed frame below, and mimetext cost 11 KiB of the Worker's
 * budgeted bundle for it. test/unit/destinations/email/mime.test.ts reads
 * the result with an independent parser (test/support/mime.ts).
 * Addresses reach this module only after address.ts accepted them (no space,
 * quote, `<`, `>` or line break).
 */

import type { Mailbox } from "./address.ts";
import { base64Body, encodeHeader } from "./encoding.ts";

export interface MimeInput {
  readonly from: Mailbox;
  /** Every recipient, in the To header. */
  readonly to: readonly string[];
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  /** `<unique@domain>`; also seeds the part boundary, so one message always renders the same bytes. */
  readonly messageId: string;
  readonly date: Date;
  /** Further headers (`X-…`, `Auto-Submitted`); values may be payload text: they are encoded here. */
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * The raw message, CRLF line endings.
 *
 * @example
 * buildMime({ from: { name: "Gitple 알림", addr: "relay@example.com" }, to: ["ops@example.com"],
 *   subject: "세션 종료", text: "…", html: "<h2>…</h2>", messageId: "<abc@example.com>", date: new Date() })
 * // → "Date: Wed, 25 Nov 2026 13:40:21 +0000\r\nFrom: =?UTF-8?B?R2l0cGxlIOyVjOumvA==?= <relay@example.com>\r\n…"
 */
export function buildMime(input: MimeInput): string {
  // Letters and digits only, never in a base64 body; short enough that the Content-Type line stays within 78.
  const boundary = `alt-${input.messageId.replace(/[^A-Za-z0-9]/g, "").slice(0, 24)}`;
  const head = [
    `Date: ${input.date.toUTCString().replace("GMT", "+0000")}`,
    `From: ${sender(input.from)}`,
    `To: ${input.to.map((addr) => `<${addr}>`).join(",\r\n ")}`,
    `Message-ID: ${input.messageId}`,
    `Subject: ${encodeHeader("Subject", input.subject)}`,
    "MIME-Version: 1.0",
    ...Object.entries(input.headers ?? {}).map(([name, value]) => `${name}: ${encodeHeader(name, value)}`),
    `Content-Type: multipart/alternative; boundary=${boundary}`,
  ];
  const part = (type: string, text: string) =>
    `--${boundary}\r\nContent-Type: ${type}; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n${base64Body(text)}\r\n`;
  return `${head.join("\r\n")}\r\n\r\n${part("text/plain", input.text)}\r\n${part("text/html", input.html)}\r\n--${boundary}--`;
}

/** `<addr>`, `"Name" <addr>` for a printable ASCII name (RFC 5322 quoted-string), or encoded-words for any other. */
function sender(mailbox: Mailbox): string {
  const name = mailbox.name;
  if (name === "") return `<${mailbox.addr}>`;
  if (/^[\x20-\x7e]+$/.test(name) && !name.includes("=?")) {
    return `"${name.replace(/["\\]/g, "\\$&")}" <${mailbox.addr}>`;
  }
  return `${encodeHeader("From", name)} <${mailbox.addr}>`;
}
