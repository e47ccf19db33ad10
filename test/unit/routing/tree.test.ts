// The routing tree as text (src/routing/tree.ts), which `npm run routes -- tree`
// and the console's Rules page both print, and a rule's conditions as text.
import { describe, expect, it } from "vitest";
import { conditions, list } from "../../../src/routing/describe-conditions.ts";
import { validateRouting } from "../../../src/routing/load.ts";
import { formatTree } from "../../../src/routing/tree.ts";

describe("formatTree", () => {
  it("prints every kind of condition, stop and own template, the fallback and the destinations", () => {
    const config = validateRouting(
      {
        fallback: [],
        destinations: {
          ops: { type: "slack", webhook_url_secret: "OPS_URL" },
          hook: { type: "webhook", url_secret: "HOOK_URL" },
        },
        rules: [
          { name: "vip", tags: { any: ["vip"], none: ["test"] }, destinations: ["ops", "hook"], stop: true },
          {
            name: "big spender",
            events: ["session_state_close"],
            app_codes: ["shop"],
            tags: { all: ["a b", "c"] },
            categories: { any: ["결제"] },
            groups: { none: ["internal"] },
            meta: { plan: ["gold", "platinum plus"] },
            destinations: ["ops"],
            template: { title: "x" },
          },
          ...Array.from({ length: 8 }, (_, i) => ({ name: `r${i + 3}`, destinations: ["ops"] })),
          { name: 'every "event"', destinations: ["hook"] },
        ],
      },
      () => "set",
    );
    if (!config.ok) throw new Error(config.error.join("\n"));
    expect(formatTree(config.value, "src").split("\n")).toEqual([
      "src: 11 rules, evaluated in order; an event goes to every matching rule's destinations",
      '   1. "vip"  tags.any=[vip] tags.none=[test]  → ops, hook, stop',
      '   2. "big spender"  events=[session_state_close] app_codes=[shop] tags.all=["a b", c] categories.any=[결제] groups.none=[internal] meta.plan=[gold, "platinum plus"]  → ops, own template',
      ...Array.from({ length: 8 }, (_, i) => `  ${String(i + 3).padStart(2)}. "r${i + 3}"  every event  → ops`),
      '  11. "every \\"event\\""  every event  → hook',
      "  fallback (no rule matched)  → nowhere (no fallback)",
      "destinations: ops (slack), hook (webhook)",
    ]);
  });

  it("says when there are no destinations, and counts one rule as one", () => {
    const config = validateRouting({ fallback: [], destinations: {}, rules: [] }, () => "set");
    if (!config.ok) throw new Error(config.error.join("\n"));
    expect(formatTree(config.value, "x")).toBe(
      [
        "x: 0 rules, evaluated in order; an event goes to every matching rule's destinations",
        "  fallback (no rule matched)  → nowhere (no fallback)",
        "destinations: []",
      ].join("\n"),
    );
  });
});

describe("conditions", () => {
  it.each([
    [{}, "every event"],
    [{ events: ["session_state_close"] }, "events=[session_state_close]"],
    [{ tags: { any: ["vip", "big spender"] } }, 'tags.any=[vip, "big spender"]'],
    [{ meta: { region: ["서울"] } }, "meta.region=[서울]"],
  ])("%j → %s", (rule, text) => {
    expect(conditions(rule)).toBe(text);
  });
  it("quotes a value only when it is not bare", () => {
    expect(list(["a", "a,b", ""])).toBe('[a, "a,b", ""]');
  });
});
