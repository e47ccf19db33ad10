/**
 * gitple-relay's entry point: wiring only. HTTP (src/http), the two queue
 * consumers (src/delivery) and the Durable Objects' exports (claims, sessions, holds, digests).
 */
import { handleDeliveries } from "./delivery/consumer.ts";
import { handleDeadLetters } from "./delivery/dead-letters.ts";
import { createApp } from "./http/app.ts";

export { DeliveryClaims } from "./delivery/claims.ts";
export { DigestState } from "./digests/object.ts";
export { DeliveryHolds } from "./holds/object.ts";
export { SessionState } from "./sessions/object.ts";

const app = createApp();

export default {
  fetch: app.fetch,
  async queue(batch, env) {
    // Queue names are set in wrangler.toml; the dead-letter queue's ends in "dead-letters".
    if (batch.queue.endsWith("dead-letters")) await handleDeadLetters(batch, env);
    else await handleDeliveries(batch, env);
  },
} satisfies ExportedHandler<Env>;
