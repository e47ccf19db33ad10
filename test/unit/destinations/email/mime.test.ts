import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { base64Body, encodeHeader, headerText } from "../../../../src/destinations/email/encoding.ts";
import { buildMime, type MimeInput } from "../../../../src/destinations/email/mime.ts";
import { decodeWords, parseMime } from "../../../support/mime.ts";

const LONG_KOREAN = "택배 분실로 환불 요청. 주문번호 20190429-0012, 재발송 불가 안내함. ".repeat(8);

/** Every physical line of a header field `Name: value` as it would be written. */
const lines = (name: string, value: string) => `${name}: ${value}`.split("\r\n");

describe("encodeHeader (RFC 2047 encoded-words, folded)", () => {
  it.each<[string, string, string]>([
    ["short ASCII stays plain", "Session closed (userCancel)", "Session closed (userCancel)"],
    ["CR/LF become a space: no header can be injected", "Hi\r\nBcc: evil@example.com", "Hi Bcc: evil@example.com"],
    ["tabs and other controls too", "a\tb\u0000c\u007fd", "a b c d"],
    ["Korean is encoded", "세션 종료", "=?UTF-8?B?7IS47IWYIOyiheujjA==?="],
    ["text that looks like an encoded-word is encoded", "=?UTF-8?B?SGk=?=", "=?UTF-8?B?PT9VVEYtOD9CP1NHaz0/PQ==?="],
    ["empty stays empty", "\r\n", ""],
  ])("%s", (_, value, expected) => {
    expect(encodeHeader("Subject", value)).toBe(expected);
  });

  it.each([
    ["a long Korean subject", LONG_KOREAN],
    ["a long ASCII subject", "Session closed ".repeat(30)],
    ["emoji (4-byte characters)", "😀".repeat(60)],
    ["mixed, with CRLF", `김민지\r\nBcc: evil@example.com ${"가😀a".repeat(40)}`],
  ])("folds %s into words of at most 75 characters on lines of at most 76, decoding back", (_, value) => {
    const encoded = encodeHeader("Subject", value);
    for (const line of lines("Subject", encoded)) expect(line.length).toBeLessThanOrEqual(76);
    for (const word of encoded.split("\r\n ")) {
      expect(word).toMatch(/^=\?UTF-8\?B\?[A-Za-z0-9+/=]+\?=$/);
      expect(word.length).toBeLessThanOrEqual(75);
      // Each word holds whole characters (RFC 2047 §5): decoded alone it has no U+FFFD.
      expect(decodeWords(word)).not.toContain("\ufffd");
    }
    expect(decodeWords(encoded)).toBe(headerText(value));
  });

  it("holds for any text (property)", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: "binary", maxLength: 300 }),
        fc.constantFrom("Subject", "X-Gitple-Trigger-Id"),
        (value, name) => {
          const encoded = encodeHeader(name, value);
          const physical = lines(name, encoded);
          for (const line of physical) {
            expect(line).not.toMatch(/[\r\n]/);
            if (physical.length > 1 || encoded.includes("=?")) expect(line.length).toBeLessThanOrEqual(76);
          }
          expect(decodeWords(encoded)).toBe(headerText(value));
        },
      ),
      { numRuns: 500 },
    );
  });

  it("base64Body: CRLF line breaks, lines of 76, decoding to the text", () => {
    const body = base64Body(`line 1\nline 2\r\n${"가".repeat(100)}\r`);
    for (const line of body.split("\r\n")) expect(line.length).toBeLessThanOrEqual(76);
    const decoded = new TextDecoder().decode(Uint8Array.from(atob(body.replace(/\r\n/g, "")), (c) => c.charCodeAt(0)));
    expect(decoded).toBe(`line 1\r\nline 2\r\n${"가".repeat(100)}\r\n`);
  });
});

describe("buildMime", () => {
  const input: MimeInput = {
    from: { name: "Gitple 알림", addr: "relay@example.com" },
    to: ["ops@example.com", "cs@example.com"],
    subject: `[Gitple] 세션 종료: ${LONG_KOREAN}`,
    text: "Session closed (userCancel)\n\nNote:\n택배 분실로 환불 요청.\n",
    html: "<h2>Session closed</h2>\n<div>택배 &lt;분실&gt;</div>\n",
    messageId: "<0123456789abcdef0123456789abcdef@example.com>",
    date: new Date("2019-04-29T09:05:56.001Z"),
    headers: {
      "Auto-Submitted": "auto-generated",
      "X-Gitple-Trigger-Id": "t-1\r\nBcc: evil@example.com",
      "X-Gitple-Event-Type": "session_state_close",
    },
  };

  it("has From, To, Subject, Message-ID, Date and a text and an HTML part", () => {
    const raw = buildMime(input);
    const mime = parseMime(raw);
    expect(mime.fields.map((f) => f.name)).toEqual([
      "Date",
      "From",
      "To",
      "Message-ID",
      "Subject",
      "MIME-Version",
      "Auto-Submitted",
      "X-Gitple-Trigger-Id",
      "X-Gitple-Event-Type",
      "Content-Type",
    ]);
    expect(mime.header("Date")).toBe("Mon, 29 Apr 2019 09:05:56 +0000");
    expect(mime.header("From")).toBe("Gitple 알림 <relay@example.com>");
    expect(mime.rawHeader("From")).toBe("=?UTF-8?B?R2l0cGxlIOyVjOumvA==?= <relay@example.com>");
    expect(mime.header("To")).toBe("<ops@example.com>, <cs@example.com>");
    expect(mime.header("Message-ID")).toBe("<0123456789abcdef0123456789abcdef@example.com>");
    expect(mime.header("Subject")).toBe(headerText(input.subject));
    expect(mime.header("MIME-Version")).toBe("1.0");
    expect(mime.header("Auto-Submitted")).toBe("auto-generated");
    expect(mime.header("X-Gitple-Trigger-Id")).toBe("t-1 Bcc: evil@example.com");
    expect(mime.header("Content-Type")).toMatch(/^multipart\/alternative; boundary=alt-[0-9a-z]+$/);
    expect(mime.parts.map((p) => [p.contentType, p.encoding])).toEqual([
      ["text/plain; charset=UTF-8", "base64"],
      ["text/html; charset=UTF-8", "base64"],
    ]);
    expect(mime.parts.map((p) => p.text)).toEqual([
      input.text.replace(/\n/g, "\r\n"),
      input.html.replace(/\n/g, "\r\n"),
    ]);
  });

  it("keeps every line within the limits, and no payload line break reaches the headers", () => {
    const mime = parseMime(buildMime(input));
    for (const line of mime.headerLines) {
      expect(line.length).toBeLessThanOrEqual(78);
      expect(line).not.toMatch(/^(?:Bcc|Cc):/i);
    }
    for (const part of mime.parts) for (const line of part.rawLines) expect(line.length).toBeLessThanOrEqual(76);
  });

  it.each([
    ["a plain ASCII name, quoted", { name: "Gitple Relay", addr: "r@example.com" }, '"Gitple Relay" <r@example.com>'],
    ["no name", { name: "", addr: "r@example.com" }, "<r@example.com>"],
    ["a name with a quote, escaped", { name: 'Say "hi"', addr: "r@example.com" }, '"Say \\"hi\\"" <r@example.com>'],
    [
      "a name that looks encoded, encoded",
      { name: "=?x?=", addr: "r@example.com" },
      "=?UTF-8?B?PT94Pz0=?= <r@example.com>",
    ],
    [
      "a Korean name, encoded",
      { name: "고객지원팀", addr: "r@example.com" },
      "=?UTF-8?B?6rOg6rCd7KeA7JuQ7YyA?= <r@example.com>",
    ],
  ])("writes the sender with %s", (_, from, expected) => {
    expect(parseMime(buildMime({ ...input, from })).rawHeader("From")).toBe(expected);
  });

  it("writes the frame byte for byte as mimetext did before it was replaced (same headers, parts, boundary)", () => {
    const raw = buildMime({
      from: { name: "Gitple 알림", addr: "relay@example.com" },
      to: ["ops@example.com", "cs@example.com"],
      subject: "세션 종료",
      text: "a\nb",
      html: "<p>x</p>",
      messageId: "<0123456789abcdef0123456789abcdef@example.com>",
      date: new Date("2019-04-29T09:05:56.001Z"),
      headers: { "Auto-Submitted": "auto-generated", "X-T": "t" },
    });
    const boundary = "alt-0123456789abcdef01234567";
    expect(raw).toBe(
      [
        "Date: Mon, 29 Apr 2019 09:05:56 +0000",
        "From: =?UTF-8?B?R2l0cGxlIOyVjOumvA==?= <relay@example.com>",
        "To: <ops@example.com>,",
        " <cs@example.com>",
        "Message-ID: <0123456789abcdef0123456789abcdef@example.com>",
        "Subject: =?UTF-8?B?7IS47IWYIOyiheujjA==?=",
        "MIME-Version: 1.0",
        "Auto-Submitted: auto-generated",
        "X-T: t",
        `Content-Type: multipart/alternative; boundary=${boundary}`,
        "",
        `--${boundary}`,
        "Content-Type: text/plain; charset=UTF-8",
        "Content-Transfer-Encoding: base64",
        "",
        "YQ0KYg==",
        "",
        `--${boundary}`,
        "Content-Type: text/html; charset=UTF-8",
        "Content-Transfer-Encoding: base64",
        "",
        "PHA+eDwvcD4=",
        "",
        `--${boundary}--`,
      ].join("\r\n"),
    );
  });

  it("renders one message to the same bytes every time (stable boundaries, given date and id)", () => {
    expect(buildMime(input)).toBe(buildMime({ ...input, headers: { ...input.headers } }));
  });
});
