/**
 * SHA-256 as lowercase hex, the one copy: event keys, the delivery index and
 * anything else that needs a fixed-size, collision-free name for a string.
 * WebCrypto only (no Node APIs), so it runs the same in workerd and Node 24.
 */

const encoder = new TextEncoder();

/**
 * Lowercase hex of some bytes, two digits each.
 *
 * @example
 * toHex(new Uint8Array([0, 15, 255])) // "000fff"
 */
export function toHex(bytes: ArrayBuffer | Uint8Array): string {
  let hex = "";
  for (const b of bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes)) hex += b.toString(16).padStart(2, "0");
  return hex;
}

/**
 * Hex SHA-256 of a string's UTF-8 bytes (64 digits).
 *
 * @example
 * await sha256Hex("abc") // "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
 */
export async function sha256Hex(text: string): Promise<string> {
  return toHex(await crypto.subtle.digest("SHA-256", encoder.encode(text)));
}
