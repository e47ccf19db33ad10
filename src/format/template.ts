/**
 * Operators' message templates: `{ title, text }` with `{{placeholder}}`s.
 *
 * The language is deliberately tiny: a fixed list of placeholders, replaced by
 * the event's values; nothing else is interpreted, nothing runs. The
 * template's own text is the operator's markup and is kept as written; each
 * substituted value is escaped for the target (Slack mrkdwn, HTML, Discord
 * markdown) by the `escape` the formatter passes. Lists are joined with ", ";
 * a missing value renders empty. An unknown placeholder is a config error
 * (found by validation), never a silent blank.
 */

import type { EventView } from "../event/view.ts";
import type { RoutingConfig, Template } from "../routing/types.ts";
import { duration } from "./describe.ts";

export const PLACEHOLDERS = [
  "type",
  "triggerId",
  "appCode",
  "ctime",
  "duration",
  "session.id",
  "session.reason",
  "session.note",
  "session.userId",
  "session.assigneeType",
  "session.assigneeId",
  "session.openTime",
  "session.inprogressTime",
  "session.closeTime",
  "session.tags",
  "session.categories",
  "session.userGroups",
  "from.type",
  "from.id",
  "to.id",
  "to.name",
  "to.tags",
  "to.groups",
  "to.email",
  "to.phone",
  "message.content",
] as const;

export type Placeholder = (typeof PLACEHOLDERS)[number];
export type TemplateValues = Readonly<Record<Placeholder, string>>;

const KNOWN = new Set<string>(PLACEHOLDERS);
const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;

/**
 * The unknown placeholders in a template string, as written.
 *
 * @example
 * unknownPlaceholders("{{session.id}} by {{session.agent}}") // ["{{session.agent}}"]
 */
export function unknownPlaceholders(text: string): string[] {
  const unknown: string[] = [];
  for (const match of text.matchAll(PLACEHOLDER)) {
    if (!KNOWN.has(match[1] ?? "")) unknown.push(match[0]);
  }
  return unknown;
}

const list = (items: readonly string[] | undefined): string => (items ?? []).join(", ");

/**
 * Every placeholder's value for an event. `to.email` and `to.phone` are empty
 * unless the destination sets `include_contact = true`.
 */
export function templateValues(event: EventView, opts: { includeContact: boolean }): TemplateValues {
  const s = event.session;
  return {
    type: event.type,
    triggerId: event.triggerId,
    appCode: event.appCode ?? "",
    ctime: event.ctime ?? "",
    duration: duration(s?.openTime, s?.closeTime),
    "session.id": s?.id ?? "",
    "session.reason": s?.reason ?? "",
    "session.note": s?.note ?? "",
    "session.userId": s?.userId ?? "",
    "session.assigneeType": s?.assigneeType ?? "",
    "session.assigneeId": s?.assigneeId ?? "",
    "session.openTime": s?.openTime ?? "",
    "session.inprogressTime": s?.inprogressTime ?? "",
    "session.closeTime": s?.closeTime ?? "",
    "session.tags": list(s?.tags),
    "session.categories": list(s?.categories),
    "session.userGroups": list(s?.userGroups),
    "from.type": event.from?.type ?? "",
    "from.id": event.from?.id ?? "",
    "to.id": event.to?.id ?? "",
    "to.name": event.to?.name ?? "",
    "to.tags": list(event.to?.tags),
    "to.groups": list(event.to?.groups),
    "to.email": opts.includeContact ? (event.to?.email ?? "") : "",
    "to.phone": opts.includeContact ? (event.to?.phone ?? "") : "",
    "message.content": event.message?.content ?? "",
  };
}

/**
 * Fills a template string. Each value passes through `escapeValue` for the target;
 * the template's own text does not. Unknown placeholders (which validation
 * rejects) render empty.
 *
 * @example
 * renderTemplate("Closed: {{session.id}}", values, escapeMrkdwn) // "Closed: s-1"
 */
export function renderTemplate(text: string, values: TemplateValues, escapeValue: (value: string) => string): string {
  return text.replace(PLACEHOLDER, (_whole, name: string) =>
    KNOWN.has(name) ? escapeValue(values[name as Placeholder]) : "",
  );
}

/**
 * Which template applies to a delivery: the first matched rule (in order)
 * that sent the event to this destination and has one; else the
 * destination's own; else none (the built-in format).
 */
export function pickTemplate(
  config: RoutingConfig,
  destination: string,
  rules: readonly string[],
): Template | undefined {
  for (const name of rules) {
    const rule = config.rules.find((r) => r.name === name);
    if (rule?.template) return rule.template;
  }
  return config.destinations[destination]?.template;
}
