// `npm run check`'s routing part through its real entry point
// (scripts/check.ts --only routing: type-check and lint are the whole suite's
// job): every wrangler environment's ROUTING, validated as the deployed Worker
// would validate it, send_email bindings included.
import { describe, expect, it } from "vitest";
import { check } from "./run.ts";

const F = "test/cli/fixtures";

describe("npm run check: the routing config", () => {
  it("passes the repo's wrangler.toml and runs the route tests beside it", () => {
    const r = check("--only", "routing");
    expect(r.stdout).toContain("✓ wrangler.toml [vars]: 3 rules, 4 destinations\n");
    expect(r.stdout).toContain("✓ route tests (routes.test.toml)\n");
    expect(r.status).toBe(0);
  });

  it("fails an environment without vars (wrangler deploys it without ROUTING) and one with vars but no ROUTING", () => {
    const r = check("--only", "routing", "--config", `${F}/envs.toml`);
    expect(r.stdout).toContain(`✓ ${F}/envs.toml [env.staging.vars]: 1 rules, 2 destinations\n`);
    expect(r.stdout).toContain(
      `✗ ${F}/envs.toml [env.novars]:\n` +
        "  - [env.novars] has no vars: wrangler environments do not inherit vars, so this environment would deploy without ROUTING; repeat [env.novars.vars.ROUTING]\n",
    );
    expect(r.stdout).toContain(
      `✗ ${F}/envs.toml [env.bare.vars]:\n` +
        "  - ROUTING: is not set: [env.bare] has vars of its own and wrangler environments do not inherit vars from the top level, so this environment would deploy without ROUTING; repeat it under [env.bare.vars.ROUTING]\n",
    );
    expect(r.status).toBe(1);
  });

  it("fails an email destination through Cloudflare without its send_email binding", () => {
    const r = check("--only", "routing", "--config", `${F}/email-unbound.toml`);
    expect(r.stdout).toContain(
      `✗ ${F}/email-unbound.toml [vars]:\n` +
        '  - destinations.mail.binding: send_email binding "EMAIL" is not configured (add [[send_email]] name = "EMAIL" to wrangler.toml)\n',
    );
    expect(r.status).toBe(1);
  });

  it("reads each environment's own send_email: the top level's does not count for an environment", () => {
    const r = check("--only", "routing", "--config", `${F}/email-envs.toml`);
    expect(r.stdout).toContain(`✓ ${F}/email-envs.toml [vars]: 0 rules, 1 destinations\n`);
    expect(r.stdout).toContain(`✓ ${F}/email-envs.toml [env.prod.vars]: 0 rules, 1 destinations\n`);
    expect(r.stdout).toContain(
      `✗ ${F}/email-envs.toml [env.staging.vars]:\n` +
        '  - destinations.mail.binding: send_email binding "MAIL" is not configured (add [[env.staging.send_email]] name = "MAIL" to wrangler.toml); wrangler environments do not inherit bindings from the top level\n',
    );
    expect(r.status).toBe(1);
  });

  it("passes the annotated example config of docs/configuration.md", () => {
    const r = check("--only", "routing", "--config", "examples/annotated-config.toml");
    expect(r.stdout).toContain("✓ examples/annotated-config.toml [vars]: 1 rules, 2 destinations\n");
    expect(r.status).toBe(0);
  });
});
