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
import relay, {
  DeliveryClaims as Claims,
  DigestState as Digests,
  DeliveryHolds as Holds,
  SessionState as Sessions,
} from "../../../src/index.ts";
import { count, countingEnv, countStorageOf } from "./counting.ts";

export class DeliveryClaims extends Claims {
  constructor(ctx: DurableObjectState, env: Env) {
    countStorageOf(ctx);
    super(ctx, countingEnv(env));
  }
  override async alarm(): Promise<void> {
    count("doAlarms");
    count("doRequests"); // an alarm invocation is billed as a request
    await super.alarm();
  }
}

export class DeliveryHolds extends Holds {
  constructor(ctx: DurableObjectState, env: Env) {
    countStorageOf(ctx);
    super(ctx, countingEnv(env));
  }
  override async alarm(): Promise<void> {
    count("doAlarms");
    count("doRequests");
    await super.alarm();
  }
}

export class SessionState extends Sessions {
  constructor(ctx: DurableObjectState, env: Env) {
    countStorageOf(ctx);
    super(ctx, countingEnv(env));
  }
}

export class DigestState extends Digests {
  constructor(ctx: DurableObjectState, env: Env) {
    countStorageOf(ctx);
    super(ctx, countingEnv(env));
  }
}

export default {
  fetch(request, env, ctx) {
    count("fetchInvocations");
    return relay.fetch(request, countingEnv(env), ctx);
  },
  async queue(batch, env) {
    count("queueInvocations");
    await relay.queue(batch, countingEnv(env));
  },
} satisfies ExportedHandler<Env>;
