/**
 * Operators' message templates: `{ title, text }` with `{{placeholder}}`s, and
 * the one code path every formatter renders them through.
 *
 * The language is deliberately tiny: a fixed list of placeholders, replaced by
 * the event's values; nothing else is interpreted, nothing runs. The
 * template's own text is the operator's markup and is kept as written; each
 * substituted value is escaped for the target (Slack mrkdwn, HTML, Discord
 * markdown) by the `escape` the formatter passes. Lists are joined with ", ";
 * a missing value renders empty. An unknown placeholder is a config error
 * (found by validation), never a silent blank.
 *
 * Values are normalised like the built-in format's (describe.ts): every value
 * but the free text (`session.note`, `message.content`) is flattened onto one
 * line, so a customer's name holding "\n*Email*\n…" cannot forge a line in
 * the operator's layout. Trade-off: there is no way to write a literal
 * `{{name}}` for a known name (no escape syntax); nobody has needed one.
 */

import type { AnyRoutingConfig as RoutingConfig, Template } from "../config/types.ts";
import type { EventView } from "../event/view.ts";
import type { Resolution } from "../gitple/resolve.ts";
import { oneLine } from "../lib/text.ts";
import { duration, multiLine } from "./describe.ts";
import { assigneeName, categoryNames, namesOf, sessionUser } from "./people.ts";
import { formatWaited } from "./waited.ts";
import type { Language } from "./words.ts";

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
  "session.tagIds",
  "session.categoryIds",
  "session.userGroupIds",
  "from.type",
  "from.id",
  "to.id",
  "to.name",
  "to.tags",
  "to.groups",
  "to.tagIds",
  "to.groupIds",
  "to.email",
  "to.phone",
  "message.content",
  "user.name",
  "user.identifier",
  "user.lang",
  "user.email",
  "user.phone",
  "assignee.name",
  "timer.name",
  "timer.after",
  "timer.waited",
] as const;

/** `{{user.meta.<key>}}`: any plain key of the customer's meta (Gitple's own keys per workspace). */
const META_PLACEHOLDER = /^user\.meta\.[A-Za-z0-9_-]{1,64}$/;
const META_KEY = /^[A-Za-z0-9_-]{1,64}$/;

export type Placeholder = (typeof PLACEHOLDERS)[number];
/** A target's escaping for substituted values (Slack mrkdwn, HTML, Discord markdown, URL-encoding). */
export type Escape = (value: string) => string;
/** Also holds `user.meta.<key>` entries, one per key of the customer's meta (values on one line). */
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
    const name = match[1] ?? "";
    if (!KNOWN.has(name) && !META_PLACEHOLDER.test(name)) unknown.push(match[0]);
  }
  return unknown;
}

const list = (items: readonly string[] | undefined): string =>
  (items ?? [])
    .map(oneLine)
    .filter((item) => item !== "")
    .join(", ");

/**
 * Every placeholder's value for an event: as Gitple sent it (times stay ISO
 * 8601), on one line except `session.note` and `message.content`, lists joined
 * with ", ", missing values "". `to.email` and `to.phone` are empty unless the
 * destination sets `include_contact = true`.
 *
 * @example
 * templateValues(viewEvent(close), { includeContact: false })
 * // → { type: "session_state_close", …, duration: "8m 40s", "session.tags": "배송지연, 환불요청", "to.email": "", … }
 */
export function templateValues(
  event: EventView,
  opts: { includeContact: boolean; names?: Resolution; language?: Language },
): TemplateValues {
  const s = event.session;
  const names = opts.names;
  // The customer: the message's `to`, or the session's user as the Open API answered.
  const user = sessionUser(event, names);
  const to = event.to;
  const contact = (v: string | undefined) => (opts.includeContact ? oneLine(v) : "");
  const values: Record<Placeholder, string> = {
    type: oneLine(event.type),
    triggerId: oneLine(event.triggerId),
    appCode: oneLine(event.appCode),
    ctime: oneLine(event.ctime),
    duration: duration(s?.openTime, s?.closeTime),
    "session.id": oneLine(s?.id),
    "session.reason": oneLine(s?.reason),
    "session.note": multiLine(s?.note),
    "session.userId": oneLine(s?.userId),
    "session.assigneeType": oneLine(s?.assigneeType),
    "session.assigneeId": oneLine(s?.assigneeId),
    "session.openTime": oneLine(s?.openTime),
    "session.inprogressTime": oneLine(s?.inprogressTime),
    "session.closeTime": oneLine(s?.closeTime),
    "session.tags": names ? namesOf(names, "sessionTags", s?.tags ?? []) : list(s?.tags),
    "session.categories": names ? categoryNames(names, s?.categories ?? []) : list(s?.categories),
    "session.userGroups": names ? namesOf(names, "userGroups", s?.userGroups ?? []) : list(s?.userGroups),
    "session.tagIds": list(s?.tags),
    "session.categoryIds": list(s?.categories),
    "session.userGroupIds": list(s?.userGroups),
    "from.type": oneLine(event.from?.type),
    "from.id": oneLine(event.from?.id),
    "to.id": oneLine(event.to?.id),
    "to.name": oneLine(event.to?.name),
    "to.tags": names ? namesOf(names, "userTags", to?.tags ?? []) : list(to?.tags),
    "to.groups": names ? namesOf(names, "userGroups", to?.groups ?? []) : list(to?.groups),
    "to.tagIds": list(to?.tags),
    "to.groupIds": list(to?.groups),
    "to.email": contact(to?.email),
    "to.phone": contact(to?.phone),
    "message.content": multiLine(event.message?.content),
    "user.name": oneLine(to?.name ?? user?.name),
    "user.identifier": oneLine(to?.identifier ?? user?.identifier),
    "user.lang": oneLine(to?.lang ?? user?.lang),
    "user.email": contact(to?.email ?? user?.email),
    "user.phone": contact(to?.phone ?? user?.phone),
    "assignee.name": assigneeName(event, names),
    "timer.name": oneLine(event.timer?.name),
    "timer.after": oneLine(event.timer?.after),
    "timer.waited":
      event.timer?.waitedSeconds === undefined ? "" : formatWaited(event.timer.waitedSeconds, opts.language),
  };
  const meta = to?.meta ?? user?.meta ?? {};
  for (const [key, value] of Object.entries(meta)) {
    if (META_KEY.test(key)) (values as Record<string, string>)[`user.meta.${key}`] = oneLine(value);
  }
  return values;
}

/**
 * Fills a template string. Each value passes through `escapeValue` for the target;
 * the template's own text does not. Unknown placeholders (which validation
 * rejects) render empty.
 *
 * @example
 * renderTemplate("Closed: {{session.id}}", values, escapeMrkdwn) // "Closed: s-1"
 */
export function renderTemplate(text: string, values: TemplateValues, escapeValue: Escape): string {
  return text.replace(PLACEHOLDER, (_whole, name: string) => {
    if (KNOWN.has(name)) return escapeValue(values[name as Placeholder]);
    const meta = values as Readonly<Record<string, string>>;
    return META_PLACEHOLDER.test(name) && Object.hasOwn(meta, name) ? escapeValue(meta[name] ?? "") : "";
  });
}

/**
 * Which template applies to a delivery: the first matched rule (in order)
 * that sent the event to this destination and has one; else the
 * destination's own; else none (the built-in format). `rules` is the
 * delivery's list (`SendContext.rules`): empty when the fallback sent it.
 *
 * @example
 * pickTemplate(config, "ops", ["vip", "closes"]) // → the "vip" rule's template, if it has one
 * pickTemplate(config, "ops", [])                // → config.destinations.ops.template, or undefined
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

/**
 * A one-line title: the template rendered with `escapeValue`, then flattened
 * (a title is a header, a subject, an embed title: never two lines).
 *
 * @example
 * renderTitle("Closed: {{to.name}}", values) // → "Closed: Kim *Email* x" (a name with line breaks, flattened)
 */
export function renderTitle(title: string, values: TemplateValues, escapeValue: Escape = (v) => v): string {
  return oneLine(renderTemplate(title, values, escapeValue));
}

/**
 * A link template (`session_url`): each value URL-encoded (encodeURIComponent),
 * the operator's text kept. Only an absolute http(s) URL whose placeholders
 * all had a value, of at most 2048 characters, comes back; anything else (a value missing for this event,
 * a `javascript:` link, a relative path, garbage) is undefined.
 *
 * @example
 * renderLink("https://console.gitple.io/s/{{session.id}}", values) // → "https://console.gitple.io/s/s%2F1" (id "s/1")
 * renderLink("javascript:alert({{type}})", values)                // → undefined
 */
export function renderLink(link: string | undefined, values: TemplateValues): string | undefined {
  if (link === undefined) return undefined;
  // A link missing one of its values (a message event has no session.id) leads nowhere useful.
  let complete = true;
  // A lone surrogate would make encodeURIComponent throw; toWellFormed turns it into U+FFFD.
  const url = renderTemplate(link, values, (v) => {
    if (v === "") complete = false;
    return encodeURIComponent(v.toWellFormed());
  }).trim();
  if (!complete || url.length > MAX_LINK_LENGTH || !URL.canParse(url)) return undefined;
  const { protocol } = new URL(url);
  return protocol === "https:" || protocol === "http:" ? url : undefined;
}

/** Longest session link a message gets: longer ones are almost certainly a broken template, and some services refuse them. */
export const MAX_LINK_LENGTH = 2048;

/** What a destination says about templates: whether contact details may show, and its link. */
export interface TemplateTarget {
  readonly include_contact: boolean;
  readonly session_url?: string;
  /** `{{timer.waited}}` in this language (`5분` / `5 min`). */
  readonly language?: Language;
}

/**
 * The operator's parts of one message, rendered for one target. A part that
 * is absent is left to the built-in format: `title` when the template has none
 * or it renders blank, `text` when the template has none. A `text` that
 * renders blank is "" (the message then has no body: the operator asked for
 * this text, and it is empty for this event).
 */
export interface RenderedParts {
  readonly title?: string;
  readonly text?: string;
  /** The destination's `session_url`, rendered; absent unless it is an http(s) URL. */
  readonly link?: string;
}

/**
 * The one code path every formatter takes: the applicable template (pass
 * `pickTemplate`'s answer) and the destination's link, rendered with the
 * target's escapes. `escapes.title` defaults to none (plain-text titles).
 *
 * @example
 * renderParts(event, dest, pickTemplate(ctx.config, ctx.destination, ctx.rules), { text: escapeMrkdwn })
 * // → { title: "VIP closed: 김민지", text: "*Note*\n&lt;b&gt;…", link: "https://console.gitple.io/s/abc" }
 */
export function renderParts(
  event: EventView,
  target: TemplateTarget,
  template: Template | undefined,
  escapes: { readonly title?: Escape; readonly text: Escape },
  names?: Resolution,
): RenderedParts {
  const values = templateValues(event, {
    includeContact: target.include_contact === true,
    ...(names && { names }),
    ...(target.language && { language: target.language }),
  });
  const title = template?.title === undefined ? "" : renderTitle(template.title, values, escapes.title);
  const text = template?.text === undefined ? undefined : renderTemplate(template.text, values, escapes.text).trim();
  const link = renderLink(target.session_url, values);
  return {
    ...(title !== "" && { title }),
    ...(text !== undefined && { text }),
    ...(link !== undefined && { link }),
  };
}
