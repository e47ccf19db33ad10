// `npm run routes -- tree`: the routing config as an operator reads it, one
// line per rule in evaluation order, then the fallback and the destinations.
// Pure: config in, text out.
import type { RoutingConfig } from "../../src/routing/types.ts";
import { conditions, list, ruleName } from "./routes-format.ts";

/**
 * @example
 * formatTree(config, "wrangler.toml [vars]")
 * // → 'wrangler.toml [vars]: 3 rules, evaluated in order; …
 * //     1. "vip session closes"  events=[session_state_close] tags.any=[vip]  → vip-slack, stop
 * //     …
 * //     fallback (no rule matched)  → ops'
 */
export function formatTree(config: RoutingConfig, source: string): string {
  const lines = [
    `${source}: ${config.rules.length} rule${config.rules.length === 1 ? "" : "s"}, evaluated in order; an event goes to every matching rule's destinations`,
  ];
  const width = String(config.rules.length).length;
  config.rules.forEach((rule, i) => {
    const extras = [rule.stop ? "stop" : undefined, rule.template ? "own template" : undefined].filter(Boolean);
    lines.push(
      `  ${String(i + 1).padStart(width)}. ${ruleName(rule.name)}  ${conditions(rule)}  → ${rule.destinations.join(", ")}${extras.length > 0 ? `, ${extras.join(", ")}` : ""}`,
    );
  });
  lines.push(
    `  fallback (no rule matched)  → ${config.fallback.length > 0 ? config.fallback.join(", ") : "nowhere (no fallback)"}`,
  );
  const destinations = Object.entries(config.destinations).map(([name, d]) => `${name} (${d.type})`);
  lines.push(`destinations: ${destinations.length > 0 ? destinations.join(", ") : list([])}`);
  return lines.join("\n");
}
