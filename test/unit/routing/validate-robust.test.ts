import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { validateRouting } from "../../../src/routing/validate.ts";

const secrets = (name: string) => (name === "OPS_URL" ? "https://hooks.slack.com/ops" : undefined);

/** Validation must answer with a result, never throw, whatever it is given. */
function expectResult(input: unknown) {
  const result = validateRouting(input, secrets);
  if (result.ok) expect(Object.isFrozen(result.value)).toBe(true);
  else {
    expect(result.error.length).toBeGreaterThan(0);
    for (const message of result.error) expect(message).toMatch(/^\S.*: .+/);
  }
  return result;
}

function nested(depth: number, wrap: (inner: unknown) => unknown): unknown {
  let value: unknown = {};
  for (let i = 0; i < depth; i++) value = wrap(value);
  return value;
}

const throwingGetter = {
  get destinations(): unknown {
    throw new Error("boom");
  },
};

describe("validateRouting never throws", () => {
  it.each<[string, unknown]>([
    ["undefined", undefined],
    ["null", null],
    ["zero", 0],
    ["NaN", Number.NaN],
    ["a boolean", true],
    ["a bigint", 10n],
    ["a symbol", Symbol("routing")],
    ["a function", () => ({})],
    ["a JSON string of a string", '"routing"'],
    ["a JSON string of null", "null"],
    ["an empty list", []],
    ["nested lists", [[[]]]],
    ["a Date", new Date(0)],
    ["a Map", new Map([["destinations", {}]])],
    ["a null-prototype object", Object.create(null)],
    ["deeply nested objects", nested(10_000, (a) => ({ a }))],
    ["deeply nested rules", { destinations: {}, rules: [nested(10_000, (tags) => ({ tags }))] }],
    ["deeply nested fallback", { destinations: {}, fallback: nested(10_000, (x) => [x]) }],
    ["deeply nested JSON", `${"[".repeat(100_000)}${"]".repeat(100_000)}`],
    ["__proto__ keys (JSON)", '{"__proto__":{"x":1},"destinations":{"a":{"__proto__":{"type":"slack"}}}}'],
    ["__proto__ in a rule (JSON)", '{"destinations":{},"rules":[{"__proto__":{"name":"x","destinations":[]}}]}'],
    ["constructor keys", { destinations: { constructor: { type: "slack" } }, rules: [{ constructor: 1 }] }],
    ["names that are objects", { destinations: {}, rules: [{ name: { toString: 1 } }, { name: ["x"] }] }],
    ["a throwing getter", throwingGetter],
    [
      "a throwing proxy",
      new Proxy(
        {},
        {
          ownKeys: () => {
            throw new Error("no keys");
          },
          has: () => {
            throw new Error("no");
          },
        },
      ),
    ],
    ["10,000 rules", { destinations: {}, rules: Array.from({ length: 10_000 }, (_, i) => ({ name: `r${i % 10}` })) }],
  ])("%s", (_, input) => {
    expectResult(input);
  });

  it("reports a __proto__ key as unknown and pollutes nothing", () => {
    const result = expectResult('{"__proto__":{"polluted":true},"destinations":{}}');
    expect(result).toEqual({ ok: false, error: ['ROUTING: unknown key "__proto__"'] });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("reports a getter that throws instead of throwing", () => {
    expect(validateRouting(throwingGetter, secrets)).toEqual({
      ok: false,
      error: ["ROUTING: could not be validated (boom)"],
    });
  });

  it("holds for arbitrary values", () => {
    fc.assert(
      fc.property(
        fc.anything({ withBigInt: true, withNullPrototype: true, withMap: true, withDate: true }),
        (input) => {
          expectResult(input);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("holds for arbitrary values in the config's own keys", () => {
    const value = fc.anything({
      withNullPrototype: true,
      key: fc.constantFrom("any", "all", "none", "type", "__proto__"),
    });
    const rule = fc.dictionary(
      fc.constantFrom(
        "name",
        "events",
        "tags",
        "categories",
        "groups",
        "app_codes",
        "destinations",
        "stop",
        "template",
      ),
      value,
    );
    const destination = fc.record({
      type: fc.constantFrom("slack", "x"),
      webhook_url_secret: fc.constantFrom("OPS_URL", "NOPE", "a-b"),
    });
    const config = fc.record(
      {
        dedup_ttl_seconds: fc.oneof(fc.double(), value),
        fallback: fc.oneof(fc.array(fc.constantFrom("ops", "x")), value),
        delivery: fc.oneof(
          fc.dictionary(fc.constantFrom("max_attempts", "backoff_seconds", "timeout_seconds"), fc.double()),
          value,
        ),
        destinations: fc.oneof(fc.dictionary(fc.constantFrom("ops", "b c", "__proto__"), destination), value),
        rules: fc.oneof(fc.array(rule, { maxLength: 5 }), value),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(config, fc.boolean(), (input, asJson) => {
        expectResult(asJson ? (JSON.stringify(input) ?? "") : input);
      }),
      { numRuns: 500 },
    );
  });
});
