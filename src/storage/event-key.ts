/**
 * The event's identity, from which every stored name is derived: the dedup
 * key, the delivery index entry, the payload copy, the claim Durable Object's
 * name and the dead-letter id. Hex SHA-256 over a versioned prefix, appCode
 * and triggerId, so one workspace's ids never collide with another's and ids
 * of any length make a fixed-size key. Changing it orphans every stored key.
 */
import { sha256Hex } from "../lib/sha256.ts";

/**
 * @example
 * await eventKey("MY_APP", "trigger-1") // "3f1c…" (64 hex digits)
 */
export function eventKey(appCode: string | undefined, triggerId: string): Promise<string> {
  return sha256Hex(`gitple-relay/v1\u0000${appCode ?? ""}\u0000${triggerId}`);
}
