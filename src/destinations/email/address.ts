/**
 * The address check email config goes through: simple, documented, and strict
 * enough that an address can go into a header as is.
 *
 * An address is what the WHATWG HTML spec calls a "valid email address"
 * (https://html.spec.whatwg.org/multipage/input.html#valid-e-mail-address):
 * `local@domain`, the local part of letters, digits and
 * `.!#$%&'*+/=?^_\`{|}~-`, the domain of dot-separated labels of letters,
 * digits and inner hyphens; at most 254 characters (RFC 5321 §4.5.3.1.3).
 * The spec calls it "a willful violation of RFC 5322": no quoted local parts,
 * comments or IP literals, no non-ASCII (write an internationalised domain in
 * its `xn--` form). Trade-off: a few exotic but legal addresses are refused;
 * in exchange no accepted address holds a space, a quote, `<`, `>`, `,` or a
 * line break, so none can break out of a `To:` header.
 *
 * A sender (`from`) may add a display name: `Support <support@example.com>`
 * or `"Support, Seoul" <support@example.com>`.
 */

const ADDRESS =
  /^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/;

/** RFC 5321 §4.5.3.1.3: a path holds at most 256 octets, `<` and `>` included. */
export const MAX_ADDRESS_LENGTH = 254;

/** Longest display name accepted in `from`. */
export const MAX_NAME_LENGTH = 64;

/**
 * @example
 * isEmailAddress("ops@example.com")          // → true
 * isEmailAddress("ops@example.com\r\nBcc: x") // → false
 * isEmailAddress("김@example.com")            // → false (ASCII only)
 */
export function isEmailAddress(value: string): boolean {
  return value.length <= MAX_ADDRESS_LENGTH && ADDRESS.test(value);
}

/** A sender: the address, and a display name ("" for none). */
export interface Mailbox {
  readonly name: string;
  readonly addr: string;
}

const WITH_NAME = /^(?:"([^"\\]*)"|([^"<>]*?))\s*<([^<>]*)>$/;

/**
 * Reads `addr` or `Name <addr>` (the name may be double-quoted, without `"`
 * or `\` inside); undefined when the address fails `isEmailAddress` or the
 * name holds a control character (CR, LF, …), `<`, `>` or `"`, or is longer
 * than 64 characters.
 *
 * @example
 * parseMailbox("Gitple 알림 <relay@example.com>") // → { name: "Gitple 알림", addr: "relay@example.com" }
 * parseMailbox("relay@example.com")               // → { name: "", addr: "relay@example.com" }
 * parseMailbox("Evil\r\nBcc: x <relay@example.com>") // → undefined
 */
export function parseMailbox(value: string): Mailbox | undefined {
  const text = value.trim();
  if (isEmailAddress(text)) return { name: "", addr: text };
  const m = WITH_NAME.exec(text);
  if (!m) return undefined;
  const name = (m[1] ?? m[2] ?? "").trim();
  const addr = m[3] ?? "";
  if (!isEmailAddress(addr) || name.length > MAX_NAME_LENGTH || /[\p{Cc}<>"\\]/u.test(name)) return undefined;
  return { name, addr };
}

/**
 * A mailbox as `Name <addr>` for APIs that take one string (Resend), the name
 * quoted when it holds a character RFC 5322 reserves for structure.
 *
 * @example
 * formatMailbox({ name: "Support, Seoul", addr: "s@example.com" }) // → "\"Support, Seoul\" <s@example.com>"
 */
export function formatMailbox(mailbox: Mailbox): string {
  if (mailbox.name === "") return mailbox.addr;
  const name = /[()<>[\]:;@\\,."]/.test(mailbox.name) ? `"${mailbox.name}"` : mailbox.name;
  return `${name} <${mailbox.addr}>`;
}
