// A deliberately independent reader of the MIME messages the relay builds, so
// tests assert what a mail client would see: headers unfolded (RFC 5322
// §2.2.3), encoded-words decoded one by one (RFC 2047: each word must hold
// whole characters, so a split character shows up as U+FFFD), multipart
// bodies split at their boundary and base64 parts decoded as UTF-8.

export interface MimeField {
  readonly name: string;
  /** Unfolded, still encoded. */
  readonly value: string;
}

export interface MimePart {
  readonly contentType: string;
  readonly encoding: string;
  /** Decoded text. */
  readonly text: string;
  /** The part's encoded body lines as sent. */
  readonly rawLines: readonly string[];
}

export interface ParsedMime {
  /** Every header line as sent (folded lines separately). */
  readonly headerLines: readonly string[];
  readonly fields: readonly MimeField[];
  readonly parts: readonly MimePart[];
  /** The first field of that name (case-insensitive), encoded-words decoded. */
  header(name: string): string | undefined;
  /** The first field of that name, unfolded but not decoded. */
  rawHeader(name: string): string | undefined;
}

/** Parses a raw message with CRLF line endings; throws on anything malformed (a test then fails). */
export function parseMime(raw: string): ParsedMime {
  const split = raw.indexOf("\r\n\r\n");
  if (split === -1) throw new Error("no blank line after the headers");
  const headerLines = raw.slice(0, split).split("\r\n");
  const fields = unfold(headerLines);
  const find = (name: string) => fields.find((f) => f.name.toLowerCase() === name.toLowerCase())?.value;
  const contentType = find("Content-Type") ?? "text/plain";
  const body = raw.slice(split + 4);
  const boundary = /boundary="?([^";\s]+)"?/i.exec(contentType)?.[1];
  const parts = boundary ? splitMultipart(body, boundary) : [part(fields, body)];
  return {
    headerLines,
    fields,
    parts,
    header: (name) => {
      const value = find(name);
      return value === undefined ? undefined : decodeWords(value);
    },
    rawHeader: find,
  };
}

function unfold(lines: readonly string[]): MimeField[] {
  const fields: MimeField[] = [];
  for (const line of lines) {
    const last = fields.at(-1);
    if (/^[ \t]/.test(line)) {
      if (!last) throw new Error(`continuation line before any field: ${line}`);
      fields[fields.length - 1] = { name: last.name, value: last.value + line };
      continue;
    }
    const colon = line.indexOf(":");
    if (colon < 1) throw new Error(`not a header line: ${line}`);
    fields.push({ name: line.slice(0, colon), value: line.slice(colon + 1).trim() });
  }
  return fields;
}

const WORD = /=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g;

/** RFC 2047 §6.2: whitespace between adjacent encoded-words is dropped; each word is decoded alone. */
export function decodeWords(value: string): string {
  return value.replace(/(\?=)\s+(?==\?)/g, "$1").replace(WORD, (_all, charset: string, kind: string, text: string) => {
    if (kind.toUpperCase() !== "B") throw new Error("only B encoding is expected");
    return new TextDecoder(charset).decode(fromBase64(text));
  });
}

function fromBase64(text: string): Uint8Array {
  const binary = atob(text.replace(/\s+/g, ""));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

function splitMultipart(body: string, boundary: string): MimePart[] {
  const end = body.indexOf(`--${boundary}--`);
  if (end === -1) throw new Error("no closing boundary");
  return body
    .slice(0, end)
    .split(`--${boundary}\r\n`)
    .slice(1)
    .map((chunk) => {
      const split = chunk.indexOf("\r\n\r\n");
      return part(unfold(chunk.slice(0, split).split("\r\n")), chunk.slice(split + 4));
    });
}

function part(fields: readonly MimeField[], body: string): MimePart {
  const get = (name: string) => fields.find((f) => f.name.toLowerCase() === name.toLowerCase())?.value ?? "";
  const encoding = get("Content-Transfer-Encoding").toLowerCase();
  const content = body.replace(/\r\n$/, "");
  const rawLines = content.split("\r\n").filter((line) => line !== "");
  const text = encoding === "base64" ? new TextDecoder().decode(fromBase64(content)) : content;
  return { contentType: get("Content-Type"), encoding, text, rawLines };
}
