/**
 * Reads a request body up to a byte limit, counting the stream itself: a
 * missing or lying Content-Length cannot make the relay buffer more than the
 * limit. A declared length over the limit is refused before reading at all.
 * A stream that breaks mid-way (the sender went away) is a failure too, never
 * an exception: the caller answers 400 instead of a 500.
 */
import { err, ok, type Result } from "../result.ts";

/** Gitple events are small; 256 KiB leaves room for long notes and many tags. */
export const MAX_BODY_BYTES = 256 * 1024;

/**
 * @example
 * const body = await readBody(request, MAX_BODY_BYTES);
 * if (!body.ok) return fail(body.error); // "body_too_large" or "body_unreadable"
 */
export async function readBody(
  request: Request,
  maxBytes: number,
): Promise<Result<Uint8Array, "body_too_large" | "body_unreadable">> {
  const declared = request.headers.get("content-length");
  if (declared !== null && /^\d+$/.test(declared) && Number(declared) > maxBytes) return err("body_too_large");
  if (request.body === null) return ok(new Uint8Array(0));

  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    let chunk: ReadableStreamReadResult<Uint8Array>;
    try {
      chunk = await reader.read();
    } catch {
      return err("body_unreadable");
    }
    const { done, value } = chunk;
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => {});
      return err("body_too_large");
    }
    chunks.push(value);
  }
  if (chunks.length === 1 && chunks[0]) return ok(chunks[0]);
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return ok(out);
}
