/**
 * The routing config as an operator reads it: one line per rule in
 * evaluation order, then the fallback and the destinations. One formatter for
 * `npm run routes -- tree` (scripts/routes.ts) and the console's Rules page,
 * so the two always show the same text. Pure: config in, text out.
 */
import { conditions, list, ruleName } from "./describe-conditions.ts";
import type { RoutingConfig } from "./types.ts";

/**
 * @example
 * formatTree(config, "wrangler.toml [vars]")
 * // → 'wrangler.toml [vars]: 3 rules, evaluated in order; …
 * //     1. "vip session closes"  events=[session_state_close] tags.any=[vip]  → vip-slack, stop
 * //     …
 * //     fallback (no rule matched)  → ops'
 */
export function formatTree(config: RoutingConfig, source: string): string {
  const n = config.rules.length;
  const lines = [
    `${source}: ${n} rule${n === 1 ? "" : "s"}, evaluated in order; an event goes to every matching rule's destinations`,
  ];
  const width = String(n).length;
  config.rules.forEach((rule, i) => {
    const extras = [rule.stop ? "stop" : undefined, rule.template ? "own template" : undefined].filter(Boolean);
    const tail = extras.length > 0 ? `, ${extras.join(", ")}` : "";
    lines.push(
      `  ${String(i + 1).padStart(width)}. ${ruleName(rule.name)}  ${conditions(rule)}  → ${rule.destinations.join(", ")}${tail}`,
    );
  });
  lines.push(
    `  fallback (no rule matched)  → ${config.fallback.length > 0 ? config.fallback.join(", ") : "nowhere (no fallback)"}`,
  );
  const destinations = Object.entries(config.destinations).map(([name, d]) => `${name} (${d.type})`);
  lines.push(`destinations: ${destinations.length > 0 ? destinations.join(", ") : list([])}`);
  return lines.join("\n");
}
