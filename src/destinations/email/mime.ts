/**
 * The MIME message the `send_email` binding takes: From, To, Subject,
 * Message-ID, Date, a text/plain and a text/html part (multipart/alternative),
 * built with mimetext (https://github.com/muratgozel/MIMEText), as
 * Cloudflare's docs do, rather than by hand.
 *
 * What mimetext does not do, and this module adds (see the characterisation
 * tests in test/unit/destinations/email-mime.test.ts):
 * - it writes the Subject and a sender's name as ONE base64 encoded-word,
 *   however long, which breaks RFC 2047 §2's 75-character limit (and, for a
 *   long Korean subject, RFC 5322's 998-character line limit); here those two
 *   fields get encoding.ts's folding encoder instead;
 * - it writes custom header values and body parts as given; here header
 *   values are made single-line and encoded first, and bodies are base64.
 * Addresses reach it only after address.ts accepted them (no space, quote,
 * `<`, `>` or line break), since mimetext does not check them.
 *
 * Trade-off: we import mimetext's TypeScript sources, which the package
 * ships, rather than its `dist` builds: those pull in @babel/runtime-corejs3
 * (core-js polyfills for `String#trim` and `Object.defineProperty`, about
 * 15 KiB gzipped, which workerd has natively) or, for the Node build,
 * `node:os` and mime-types. The sources add about 3 KiB. The path is pinned
 * by package-lock.json; a mimetext upgrade must keep `src/`.
 */

import { Mailbox as MimeMailbox } from "../../../node_modules/mimetext/src/Mailbox.ts";
import type { EnvironmentContext } from "../../../node_modules/mimetext/src/MIMEMessage.ts";
import { MIMEMessage } from "../../../node_modules/mimetext/src/MIMEMessage.ts";
import type { Mailbox } from "./address.ts";
import { base64, base64Body, encodeHeader } from "./encoding.ts";

export interface MimeInput {
  readonly from: Mailbox;
  /** Every recipient, in the To header. */
  readonly to: readonly string[];
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  /** `<unique@domain>`; also seeds the part boundaries, so one message always renders the same bytes. */
  readonly messageId: string;
  readonly date: Date;
  /** Further headers (`X-…`, `Auto-Submitted`); values may be payload text: they are encoded here. */
  readonly headers?: Readonly<Record<string, string>>;
}

const encoder = new TextEncoder();

const MIME_ENV: EnvironmentContext = {
  toBase64: (data) => base64(encoder.encode(data)),
  toBase64WebSafe: (data) => base64(encoder.encode(data)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, ""),
  eol: "\r\n",
  validateContentType: (type) => (type.length > 0 ? type : false),
};

/**
 * The raw message, CRLF line endings.
 *
 * @example
 * buildMime({ from: { name: "Gitple 알림", addr: "relay@example.com" }, to: ["ops@example.com"],
 *   subject: "세션 종료", text: "…", html: "<h2>…</h2>", messageId: "<abc@example.com>", date: new Date() })
 * // → "Date: Wed, 25 Nov 2026 13:40:21 +0000\r\nFrom: =?UTF-8?B?R2l0cGxlIOyVjOumvA==?= <relay@example.com>\r\n…"
 */
export function buildMime(input: MimeInput): string {
  const msg = new MIMEMessage(MIME_ENV);
  // Short enough that "Content-Type: multipart/alternative; boundary=alt-…" stays within 78 characters.
  const seed = input.messageId.replace(/[^A-Za-z0-9]/g, "").slice(0, 24);
  msg.boundaries = { mixed: `mixed-${seed}`, alt: `alt-${seed}`, related: `related-${seed}` };
  for (const field of msg.headers.fields) {
    if (field.name === "Subject") field.dump = (v) => (typeof v === "string" ? encodeHeader("Subject", v) : "");
    if (field.name === "From") field.dump = (v) => (v instanceof MimeMailbox ? sender(v) : "");
  }
  msg.setHeader("Date", input.date.toUTCString().replace("GMT", "+0000"));
  msg.setSender({ addr: input.from.addr, name: input.from.name });
  msg.setTo([...input.to]);
  msg.setHeader("Message-ID", input.messageId);
  msg.setSubject(input.subject);
  for (const [name, value] of Object.entries(input.headers ?? {})) msg.setHeader(name, encodeHeader(name, value));
  msg.addMessage({ contentType: "text/plain", data: base64Body(input.text), encoding: "base64" });
  msg.addMessage({ contentType: "text/html", data: base64Body(input.html), encoding: "base64" });
  return msg.asRaw();
}

/** `<addr>`, `"Name" <addr>` for a printable ASCII name (RFC 5322 quoted-string), or encoded-words for any other. */
function sender(mailbox: MimeMailbox): string {
  const name = mailbox.name;
  if (name === "") return `<${mailbox.addr}>`;
  if (/^[\x20-\x7e]+$/.test(name) && !name.includes("=?")) {
    return `"${name.replace(/["\\]/g, "\\$&")}" <${mailbox.addr}>`;
  }
  return `${encodeHeader("From", name)} <${mailbox.addr}>`;
}
