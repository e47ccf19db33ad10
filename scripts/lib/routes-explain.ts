// `npm run routes -- explain`: why an event goes where it goes. The JSON form
// is the shared `explain()` answer (the one POST /admin/explain gives); the
// text form adds, for each rule that did not match, what the failed condition
// asked for and what the event had. Pure: config and event in, text out.
// Trade-off: the text re-reads the failed condition from the config to show
// values; which condition failed always comes from the Worker's route().

import type { BaseDestinationConfig } from "../../src/config/types.ts";
import { digestNote } from "../../src/digest-figures/figures.ts";
import type { EventView } from "../../src/event/view.ts";
import { quietUntil } from "../../src/format/quiet-hours.ts";
import type { Resolution } from "../../src/gitple/resolve.ts";
import { matchableFacets } from "../../src/routing/by-name.ts";
import { list, ruleName, value } from "../../src/routing/describe-conditions.ts";
import { digestsOf } from "../../src/routing/digests.ts";
import { type Explanation, explain } from "../../src/routing/explain.ts";
import { facetsOf, route } from "../../src/routing/match.ts";
import { previews } from "../../src/routing/previews.ts";
import { timersOf } from "../../src/routing/timers.ts";
import type { RoutingConfig, Rule, SetCondition } from "../../src/routing/types.ts";
import type { ReadEvent } from "./routes-input.ts";

/** `--json`: explain()'s answer, with each message (JSON bodies parsed) when rendering. */
export type ExplainJson = Explanation & {
  readonly messages?: { destination: string; type: string; contentType: string; body: unknown }[];
};

/**
 * The machine answer: `explain()`'s `{ destinations, fallback, rules }`, plus
 * `messages` (each destination's request body) when `render` is set.
 *
 * @example
 * explainJson(config, { raw, view }, false)
 * // → { destinations: ["vip-slack"], fallback: false, rules: [{ name: "vip session closes", matched: true }, …] }
 */
export function explainJson(config: RoutingConfig, event: ReadEvent, render: boolean, names?: Resolution): ExplainJson {
  const answer = explain(config, event.view, names);
  if (!render) return answer;
  const messages = previews(config, event, route(config, event.view, names), names).map(
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
export function formatExplain(
  config: RoutingConfig,
  source: string,
  event: ReadEvent,
  render: boolean,
  names?: { label: string; resolution: Resolution },
  now = Date.now(),
): string {
  const { view } = event;
  const res = names?.resolution;
  const decision = route(config, view, res);
  const headline = [view.type, `trigger ${view.triggerId}`, view.appCode ? `app ${view.appCode}` : "no appCode"];
  const lines = [`Event    ${headline.join(" · ")}`, `Routing  ${source}`];
  lines.push(`Names    ${names ? names.label : "none (ids only: set GITPLE_API_SECRET or pass --names <file.json>)"}`);
  lines.push("", "Rules, in evaluation order:");
  const width = String(config.rules.length).length;
  decision.rules.forEach((verdict, i) => {
    const rule = config.rules[i] as Rule; // one verdict per rule, in order
    const n = `${String(i + 1).padStart(width)}.`;
    if (verdict.matched) {
      const stop = rule.stop ? " (stop: later rules are not evaluated)" : "";
      lines.push(`  ✓ ${n} ${ruleName(rule.name)} → ${rule.destinations.join(", ")}${stop}`);
    } else {
      lines.push(`  ✗ ${n} ${ruleName(rule.name)}: ${whyNot(rule, String(verdict.failed), view, res)}`); // unmatched: `failed` is set
    }
  });
  if (config.rules.length === 0) lines.push("  (no rules)");
  lines.push("", "Destinations (as POST /events would answer):");
  for (const d of decision.destinations) {
    const why = d.rules.length > 0 ? d.rules.map(ruleName).join(", ") : "fallback (no rule matched)";
    lines.push(`  ${d.name}  ← ${why}${heldNow(config, d.name, d.rules, now)}`);
  }
  if (decision.destinations.length === 0) lines.push("  none: no rule matched and there is no fallback");
  lines.push(...timerLines(config, view));
  lines.push(...digestLines(config, view));
  if (render) {
    for (const m of previews(config, event, decision, res)) {
      const body = m.contentType === "application/json" ? JSON.stringify(JSON.parse(m.body), null, 2) : m.body;
      lines.push("", `Message to ${m.destination} (${m.type}, ${m.contentType}):`, body);
    }
  }
  return lines.join("\n");
}

/** `  (held now: quiet hours until …)` when the destination would hold this notice now (docs/time.md). */
function heldNow(config: RoutingConfig, name: string, rules: readonly string[], now: number): string {
  const d: BaseDestinationConfig | undefined = config.destinations[name];
  if (!d?.quiet_hours) return "";
  if (rules.some((r) => config.rules.find((rule) => rule.name === r)?.urgent)) return "  (urgent: ignores quiet hours)";
  const until = quietUntil(d.quiet_hours, config.timezone ?? "UTC", now);
  if (until === null) return "  (quiet hours, not now)";
  return `  (held now: quiet hours until ${new Date(until).toISOString()}, then ${d.during_quiet ?? "defer"})`;
}

/** The timers the event starts and stops (docs/time.md); nothing when the config has none. */
function timerLines(config: RoutingConfig, view: EventView): string[] {
  if (config.timers.length === 0) return [];
  const note = timersOf(config, view);
  const lines = ["", "Timers:"];
  for (const t of note.start) {
    const repeat =
      t.repeatMs > 0
        ? `, then every ${config.timers.find((c) => c.name === t.name)?.repeat} (${t.firings - 1} repeats)`
        : "";
    lines.push(
      `  starts ${ruleName(t.name)}: fires after ${t.after}${repeat} → ${t.destinations.join(", ")} unless stopped`,
    );
  }
  for (const name of note.stop) lines.push(`  stops ${ruleName(name)} (if set for this session)`);
  if (note.start.length === 0 && note.stop.length === 0) {
    lines.push(view.session?.id ? "  none started or stopped by this event" : "  none (the event names no session)");
  }
  return lines;
}

/** The digests the event counts in (docs/time.md); nothing when the config has none. */
function digestLines(config: RoutingConfig, view: EventView): string[] {
  if (config.digests.length === 0) return [];
  const names = digestNote(view, Date.now()) ? digestsOf(config, view) : [];
  const counts = view.type === "session_state_open" ? "an opened session" : "a closed session";
  return [
    "",
    "Digests:",
    ...(names.length > 0
      ? names.map((name) => `  counts in ${ruleName(name)} as ${counts}`)
      : ["  none (digests count session opens and closes that match their conditions)"]),
  ];
}

/** `tags.any` → tags; `categories (event has no categories)` → categories. */
const FACET_OF = /^(tags|categories|groups)\b/;

/**
 * The failed condition in words: what the rule asked for, what the event had.
 *
 * @example
 * whyNot({ tags: { any: ["VIP"] } }, "tags.any", view, names)
 * // → 'failed tags.any=[VIP], the event has none of them (its tags: ["배송지연 (5cc7a1000000000000000003)"])'
 */
export function whyNot(rule: Rule, failed: string, view: EventView, names?: Resolution): string {
  if (failed === "events") return `failed events=${list(rule.events ?? [])}, the type is ${value(view.type)}`;
  if (failed === "app_codes") {
    const has = view.appCode === undefined ? "the event has no appCode" : `the appCode is ${value(view.appCode)}`;
    return `failed app_codes=${list(rule.app_codes ?? [])}, ${has}`;
  }
  if (failed.startsWith("meta")) return whyNotMeta(rule, failed, view, names);
  const facet = FACET_OF.exec(failed)?.[1] as "tags" | "categories" | "groups" | undefined;
  if (facet === undefined) return failed; // not evaluated (stopped by "…")
  const ids = facetsOf(view)[facet];
  // With names, the event's values are its ids with their names (and a category's ancestors): what route() compares.
  const present = names && ids ? matchableFacets(facetsOf(view), names)[facet] : ids;
  const asked: SetCondition = rule[facet] ?? {};
  if (present === undefined) {
    const parts = (["any", "all", "none"] as const).flatMap((p) => {
      const values = asked[p];
      return values ? [`${facet}.${p}=${list(values)}`] : [];
    });
    return `failed ${parts.join(" ")}, a ${value(view.type)} event has no ${facet}`;
  }
  const part = failed.slice(facet.length + 1) as keyof SetCondition;
  const condition = asked[part] ?? [];
  const failedAsked = `failed ${failed}=${list(condition)}`;
  const its = `(its ${facet}: ${list([...(ids ?? [])].map((id) => shown(facet, id, view, names)))})`;
  if (part === "any") return `${failedAsked}, the event has none of them ${its}`;
  if (part === "all") return `${failedAsked}, the event lacks ${list(condition.filter((v) => !present.has(v)))} ${its}`;
  return `${failedAsked}, the event has ${list(condition.filter((v) => present.has(v)))}`;
}

/** An id with its name (or category path) when known: `VIP (5cc7a1…)`. */
function shown(facet: "tags" | "categories" | "groups", id: string, view: EventView, names?: Resolution): string {
  if (!names) return id;
  if (facet === "categories") {
    const path = names.categoryPaths[id];
    return path && path.length > 0 ? `${path.map((s) => s.name).join(" › ")} (${id})` : id;
  }
  const kind = facet === "groups" ? "userGroups" : view.type === "send_external_message" ? "userTags" : "sessionTags";
  const name = names.names[kind][id]?.name;
  return name === undefined ? id : `${name} (${id})`;
}

/** `meta.plan` failed: what the rule asked for and what the customer has. */
function whyNotMeta(rule: Rule, failed: string, view: EventView, names?: Resolution): string {
  const asked = Object.entries(rule.meta ?? {})
    .map(([k, v]) => `meta.${k}=${list(v)}`)
    .join(" ");
  if (failed === "meta (the customer's meta is not known)") {
    return `failed ${asked}, the customer's meta is not known (a session event's user is looked up by name: set GITPLE_API_SECRET or pass --names with "meta")`;
  }
  const key = failed.slice("meta.".length);
  const meta =
    view.type === "send_external_message" ? view.to?.meta : names?.names.users[view.session?.userId ?? ""]?.meta;
  const has =
    meta && Object.hasOwn(meta, key)
      ? `the customer's ${key} is ${value(meta[key] as string)}`
      : `the customer has no ${key}`;
  return `failed ${failed}=${list(rule.meta?.[key] ?? [])}, ${has}`;
}
