// `npm run routes -- explain`: why an event goes where it goes. The JSON form
// is the shared `explain()` answer (the one POST /admin/explain gives); the
// text form adds, for each rule that did not match, what the failed condition
// asked for and what the event had. Pure: config and event in, text out.
// Trade-off: the text re-reads the failed condition from the config to show
// values; which condition failed always comes from the Worker's route().
import { preview } from "../../src/destinations/registry.ts";
import { explain } from "../../src/routing/explain.ts";
import { facetsOf, route } from "../../src/routing/match.ts";
import { list, ruleName, value } from "./routes-format.mjs";

/**
 * The machine answer: `explain()`'s `{ destinations, fallback, rules }`, plus
 * `messages` (each destination's request body) when `render` is set.
 *
 * @example
 * explainJson(config, { raw, view }, false)
 * // → { destinations: ["vip-slack"], fallback: false, rules: [{ name: "vip session closes", matched: true }, …] }
 */
export function explainJson(config, event, render) {
  const answer = explain(config, event.view);
  if (!render) return answer;
  const messages = renderAll(config, event, route(config, event.view)).map(
    ({ destination, type, contentType, body }) => ({
      destination,
      type,
      contentType,
      body: contentType === "application/json" ? JSON.parse(body) : body,
    }),
  );
  return { ...answer, messages };
}

/**
 * The human answer: the event, every rule's verdict with its reason, the
 * destinations, and with `render` the message each would receive.
 *
 * @example
 * formatExplain(config, "wrangler.toml [vars]", { raw, view }, false)
 * // → 'Event    session_state_close · trigger t1 · app acme-shop\n…\n  ✓ 1. "vip session closes" → vip-slack (stop) …'
 */
export function formatExplain(config, source, event, render) {
  const { view } = event;
  const decision = route(config, view);
  const headline = [view.type, `trigger ${view.triggerId}`, view.appCode ? `app ${view.appCode}` : "no appCode"];
  const lines = [`Event    ${headline.join(" · ")}`, `Routing  ${source}`, "", "Rules, in evaluation order:"];
  const width = String(config.rules.length).length;
  decision.rules.forEach((verdict, i) => {
    const rule = config.rules[i];
    const n = `${String(i + 1).padStart(width)}.`;
    if (verdict.matched) {
      const stop = rule.stop ? " (stop: later rules are not evaluated)" : "";
      lines.push(`  ✓ ${n} ${ruleName(rule.name)} → ${rule.destinations.join(", ")}${stop}`);
    } else {
      lines.push(`  ✗ ${n} ${ruleName(rule.name)}: ${whyNot(rule, verdict.failed, view)}`);
    }
  });
  if (config.rules.length === 0) lines.push("  (no rules)");
  lines.push("", "Destinations (as POST /events would answer):");
  for (const d of decision.destinations) {
    const why = d.rules.length > 0 ? d.rules.map(ruleName).join(", ") : "fallback (no rule matched)";
    lines.push(`  ${d.name}  ← ${why}`);
  }
  if (decision.destinations.length === 0) lines.push("  none: no rule matched and there is no fallback");
  if (render) {
    for (const m of renderAll(config, event, decision)) {
      const body = m.contentType === "application/json" ? JSON.stringify(JSON.parse(m.body), null, 2) : m.body;
      lines.push("", `Message to ${m.destination} (${m.type}, ${m.contentType}):`, body);
    }
  }
  return lines.join("\n");
}

/** Each routed destination's request body, in the order of the routing answer. */
function renderAll(config, event, decision) {
  return decision.destinations.map((d) => {
    const dest = config.destinations[d.name];
    const ctx = { event: event.view, raw: event.raw, destination: d.name, rules: d.rules, config };
    return { destination: d.name, type: dest.type, ...preview(dest, ctx) };
  });
}

/** `tags.any` → tags; `categories (event has no categories)` → categories. */
const FACET_OF = /^(tags|categories|groups)\b/;

/**
 * The failed condition in words: what the rule asked for, what the event had.
 *
 * @example
 * whyNot({ tags: { any: ["vip"] } }, "tags.any", view) // → "failed tags.any=[vip], the event has none of them (its tags: [new])"
 */
export function whyNot(rule, failed, view) {
  if (failed === "events") return `failed events=${list(rule.events)}, the type is ${value(view.type)}`;
  if (failed === "app_codes") {
    const has = view.appCode === undefined ? "the event has no appCode" : `the appCode is ${value(view.appCode)}`;
    return `failed app_codes=${list(rule.app_codes)}, ${has}`;
  }
  const facet = FACET_OF.exec(failed)?.[1];
  if (facet === undefined) return failed; // not evaluated (stopped by "…")
  const present = facetsOf(view)[facet];
  if (present === undefined) {
    const asked = ["any", "all", "none"]
      .filter((p) => rule[facet][p])
      .map((p) => `${facet}.${p}=${list(rule[facet][p])}`);
    return `failed ${asked.join(" ")}, a ${value(view.type)} event has no ${facet}`;
  }
  const part = failed.slice(facet.length + 1);
  const condition = rule[facet][part];
  const asked = `failed ${failed}=${list(condition)}`;
  const its = `(its ${facet}: ${list(present)})`;
  if (part === "any") return `${asked}, the event has none of them ${its}`;
  if (part === "all") return `${asked}, the event lacks ${list(condition.filter((v) => !present.has(v)))} ${its}`;
  return `${asked}, the event has ${list(condition.filter((v) => present.has(v)))}`;
}
