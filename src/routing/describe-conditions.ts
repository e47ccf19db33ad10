/**
 * A rule's conditions as text, for the routing tree (tree.ts: `npm run routes
 * -- tree` and the console's Rules page) and the explanations of `routes
 * explain`, `routes test` and the console's playground. Values are shown bare
 * when that is unambiguous and JSON-quoted otherwise, so a tag with a space or
 * a comma reads back exactly as it is written in wrangler.toml. Pure.
 */
import type { Rule } from "./types.ts";

const BARE = /^[\p{L}\p{N}_.:@/+-]+$/u;

/**
 * @example
 * value("vip") // → "vip"
 * value("big spender") // → '"big spender"'
 */
export function value(text: string): string {
  return BARE.test(text) ? text : JSON.stringify(text);
}

/**
 * @example
 * list(["vip", "big spender"]) // → '[vip, "big spender"]'
 */
export function list(values: Iterable<string>): string {
  return `[${[...values].map(value).join(", ")}]`;
}

/** A rule's name, always quoted: names are free text. */
export function ruleName(name: string): string {
  return JSON.stringify(name);
}

const FACETS = ["tags", "categories", "groups"] as const;
const PARTS = ["any", "all", "none"] as const;

/**
 * A rule's conditions as `key=[values]` in the config's own terms (the names
 * `failed` uses), or "every event" when it has none.
 *
 * @example
 * conditions({ events: ["session_state_close"], tags: { any: ["vip"], none: ["test"] } })
 * // → "events=[session_state_close] tags.any=[vip] tags.none=[test]"
 */
export function conditions(
  rule: Pick<Rule, "events" | "app_codes" | "tags" | "categories" | "groups" | "meta">,
): string {
  const parts: string[] = [];
  if (rule.events) parts.push(`events=${list(rule.events)}`);
  if (rule.app_codes) parts.push(`app_codes=${list(rule.app_codes)}`);
  for (const facet of FACETS) {
    for (const part of PARTS) {
      const values = rule[facet]?.[part];
      if (values) parts.push(`${facet}.${part}=${list(values)}`);
    }
  }
  for (const [key, values] of Object.entries(rule.meta ?? {})) parts.push(`meta.${key}=${list(values)}`);
  return parts.length > 0 ? parts.join(" ") : "every event";
}
