import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { validateRouting } from "../../../src/routing/load.ts";

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

describe("validateRouting on generated configs (property)", () => {
  const reserved = new Set(["__proto__", "constructor", "prototype"]);
  const destinationName = fc.stringMatching(/^[A-Za-z0-9_-]{1,12}$/).filter((n) => !reserved.has(n));
  const values = fc.array(fc.string({ maxLength: 12 }), { minLength: 1, maxLength: 4 });
  const condition = fc
    .record({ any: values, all: values, none: values }, { requiredKeys: [] })
    .filter((c) => Object.keys(c).length > 0);
  const ruleName = fc.string({ minLength: 1, maxLength: 20 }).filter((n) => n.trim() !== "");

  /** A valid config: every rule names known destinations, lists are non-empty, numbers in range. */
  const validConfig = fc.uniqueArray(destinationName, { minLength: 1, maxLength: 5 }).chain((names) => {
    const some = fc.subarray(names, { minLength: 1 });
    const rule = fc.record(
      {
        name: ruleName,
        events: values,
        tags: condition,
        categories: condition,
        groups: condition,
        app_codes: values,
        destinations: some,
        stop: fc.boolean(),
      },
      { requiredKeys: ["name", "destinations"] },
    );
    return fc.record(
      {
        dedup_ttl_seconds: fc.integer({ min: 60, max: 2_592_000 }),
        fallback: fc.subarray(names),
        delivery: fc.record(
          {
            max_attempts: fc.integer({ min: 1, max: 50 }),
            backoff_seconds: fc.double({ min: 0, max: 1e6, noNaN: true }),
            max_backoff_seconds: fc.integer({ min: 0, max: 43200 }),
            timeout_seconds: fc.double({ min: 0.001, max: 60, noNaN: true }),
          },
          { requiredKeys: [] },
        ),
        destinations: fc.constant(
          Object.fromEntries(
            names.map((n, i) => [n, { type: "slack", webhook_url_secret: "OPS_URL", include_contact: i % 2 === 0 }]),
          ),
        ),
        rules: fc.uniqueArray(rule, { selector: (r) => r.name, maxLength: 6 }),
      },
      { requiredKeys: ["destinations"] },
    );
  });

  type Config = Record<string, unknown> & { destinations: Record<string, unknown>; rules?: Record<string, unknown>[] };

  /** One way to break a valid config, and the path its error must name. Undefined when it does not apply. */
  type Breaker = (c: Config, pick: number) => { broken: unknown; path: string } | undefined;
  const rulesOf = (c: Config) => c.rules ?? [];
  const nth = <T>(list: readonly T[], pick: number): [T, number] | undefined =>
    list.length === 0 ? undefined : [list[pick % list.length] as T, pick % list.length];
  const breakers: Record<string, Breaker> = {
    "unknown top-level key": (c) => ({ broken: { ...c, rule: [] }, path: "ROUTING" }),
    "unknown key in a rule": (c, p) => {
      const [rule, i] = nth(rulesOf(c), p) ?? [];
      if (!rule) return undefined;
      const rules = rulesOf(c).with(i ?? 0, { ...rule, destination: ["x"] });
      return { broken: { ...c, rules }, path: `rules[${i}]` };
    },
    "unknown destination in a rule": (c, p) => {
      const [rule, i] = nth(rulesOf(c), p) ?? [];
      if (!rule) return undefined;
      const rules = rulesOf(c).with(i ?? 0, { ...rule, destinations: ["no such destination"] });
      return { broken: { ...c, rules }, path: `rules[${i}].destinations[0]` };
    },
    "an empty condition list": (c, p) => {
      const [rule, i] = nth(rulesOf(c), p) ?? [];
      if (!rule) return undefined;
      const rules = rulesOf(c).with(i ?? 0, { ...rule, tags: { any: [] } });
      return { broken: { ...c, rules }, path: `rules[${i}].tags.any` };
    },
    "a duplicate rule name": (c) => {
      const [first] = rulesOf(c);
      if (!first) return undefined;
      const rules = [...rulesOf(c), { ...first }];
      return { broken: { ...c, rules }, path: `rules[${rules.length - 1}].name` };
    },
    "a stop that is not a boolean": (c, p) => {
      const [rule, i] = nth(rulesOf(c), p) ?? [];
      if (!rule) return undefined;
      return { broken: { ...c, rules: rulesOf(c).with(i ?? 0, { ...rule, stop: "yes" }) }, path: `rules[${i}].stop` };
    },
    "a secret that is not set": (c, p) => {
      const [name] = nth(Object.keys(c.destinations), p) ?? [];
      const destinations = { ...c.destinations, [name ?? ""]: { type: "slack", webhook_url_secret: "NOT_SET" } };
      return { broken: { ...c, destinations }, path: `destinations.${name}.webhook_url_secret` };
    },
    "an unknown destination type": (c, p) => {
      const [name] = nth(Object.keys(c.destinations), p) ?? [];
      const destinations = { ...c.destinations, [name ?? ""]: { type: "pager", webhook_url_secret: "OPS_URL" } };
      return { broken: { ...c, destinations }, path: `destinations.${name}.type` };
    },
    "a negative backoff": (c) => ({
      broken: { ...c, delivery: { backoff_seconds: -1 } },
      path: "delivery.backoff_seconds",
    }),
    "a fallback to nowhere": (c) => ({ broken: { ...c, fallback: ["nowhere"] }, path: "fallback[0]" }),
    "a short dedup TTL": (c) => ({ broken: { ...c, dedup_ttl_seconds: 59 }, path: "dedup_ttl_seconds" }),
  };

  it("accepts every valid config, as a table or as its JSON", () => {
    fc.assert(
      fc.property(validConfig, fc.boolean(), (config, asJson) => {
        const result = validateRouting(asJson ? JSON.stringify(config) : config, secrets);
        expect(result.ok ? [] : result.error).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it("rejects every broken one with an error at the path of what was broken", () => {
    fc.assert(
      fc.property(validConfig, fc.constantFrom(...Object.keys(breakers)), fc.nat(), (config, how, pick) => {
        const change = breakers[how]?.(config as Config, pick);
        fc.pre(change !== undefined);
        if (!change) return;
        const result = expectResult(change.broken);
        expect(result.ok).toBe(false);
        if (!result.ok) expect(result.error.some((e) => e.startsWith(`${change.path}: `))).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
