/**
 * The routing tree as `npm run routes -- tree` prints it (scripts/lib/
 * routes-tree.mjs and routes-format.mjs), line for line, from the validated
 * config the Worker runs. Pure. Trade-off: a TypeScript twin of the CLI's
 * formatter (the CLI is plain .mjs today); the console test compares the two
 * texts, so they cannot drift apart unnoticed.
 */
import type { RoutingConfig, Rule, SetCondition } from "../routing/types.ts";

const BARE = /^[\p{L}\p{N}_.:@/+-]+$/u;
const FACETS = ["tags", "categories", "groups"] as const;
const PARTS = ["any", "all", "none"] as const;

const value = (text: string): string => (BARE.test(text) ? text : JSON.stringify(text));
const list = (values: Iterable<string>): string => `[${[...values].map(value).join(", ")}]`;

/** A rule's conditions as `key=[values]`, or "every event". */
export function conditions(rule: Rule): string {
  const parts: string[] = [];
  if (rule.events) parts.push(`events=${list(rule.events)}`);
  if (rule.app_codes) parts.push(`app_codes=${list(rule.app_codes)}`);
  for (const facet of FACETS) {
    const condition: SetCondition | undefined = rule[facet];
    for (const part of PARTS) {
      const values = condition?.[part];
      if (values) parts.push(`${facet}.${part}=${list(values)}`);
    }
  }
  return parts.length > 0 ? parts.join(" ") : "every event";
}

/**
 * @example
 * formatTree(config, "deployed ROUTING")
 * // → 'deployed ROUTING: 3 rules, evaluated in order; …\n  1. "vip session closes"  events=[session_state_close] …  → vip-slack, stop\n…'
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
      `  ${String(i + 1).padStart(width)}. ${JSON.stringify(rule.name)}  ${conditions(rule)}  → ${rule.destinations.join(", ")}${tail}`,
    );
  });
  lines.push(
    `  fallback (no rule matched)  → ${config.fallback.length > 0 ? config.fallback.join(", ") : "nowhere (no fallback)"}`,
  );
  const destinations = Object.entries(config.destinations).map(([name, d]) => `${name} (${d.type})`);
  lines.push(`destinations: ${destinations.length > 0 ? destinations.join(", ") : list([])}`);
  return lines.join("\n");
}
