// Bench only: the relay's own Worker (src/index.ts) with every billed binding
// wrapped by counting.ts. The cost bench's vitest project runs it as `main`
// (bench/cost/vitest.config.ts), so wrangler.toml's bindings and Durable Object
// classes are the production ones; nothing here is in the deployed bundle
// (wrangler bundles src/index.ts only).

// Bench only: the relay's own Worker (src/index.ts) with every billed binding
// wrapped by counting.ts. The cost bench's vitest project runs it as `main`
// (bench/cost/vitest.config.ts), so wrangler.toml's bindings and Durable Object
// classes are the production ones; nothing here is in the deployed bundle
// (wrangler bundles src/index.ts only).
import relay, { DeliveryClaims as Claims, SessionState as Sessions } from "../../../src/index.ts";
import { count, countingEnv, countingState } from "./counting.ts";

/**
 * The runtime's base class wants the real state, so the counting one replaces
 * it (and the cached `sql`) once constructed: the constructor's own CREATE
 * TABLE IF NOT EXISTS statements are not counted.
 */
function countIn(object: object, ctx: DurableObjectState): void {
  const counted = countingState(ctx);
  Object.defineProperty(object, "ctx", { value: counted });
  if ("sql" in object) Object.defineProperty(object, "sql", { value: counted.storage.sql });
}

export class DeliveryClaims extends Claims {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, countingEnv(env));
    countIn(this, ctx);
  }
  override async alarm(): Promise<void> {
    count("doAlarms");
    count("doRequests"); // an alarm invocation is billed as a request
    await super.alarm();
  }
}

export class SessionState extends Sessions {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, countingEnv(env));
    countIn(this, ctx);
  }
}

export default {
  fetch(request, env, ctx) {
    count("fetchInvocations");
    return relay.fetch(request, countingEnv(env), ctx);
  },
  async queue(batch, env, ctx) {
    count("queueInvocations");
    await relay.queue(batch, countingEnv(env), ctx);
  },
} satisfies ExportedHandler<Env>;
