/**
 * The valibot schema of the `ROUTING` var: its shape, types, ranges and
 * defaults, with messages a person editing `wrangler.toml` understands.
 *
 * Only what one value can say about itself lives here; checks that compare
 * values (duplicate rule names, unknown destinations, unset secrets) run in
 * `check.ts`. Every object is strict, so a typo'd key is an error, not a
 * silently ignored rule. Trade-offs: valibot's strict objects report only the
 * first unknown key of each table, so a table with two typos needs two
 * rounds; the destination kinds' schemas come in as an argument
 * (`routingSchemaOf`), since config sits below the kinds.
 */
import * as v from "valibot";
import { DAY_NAMES, HH_MM } from "../format/quiet-hours.ts";
import { isTimeZone } from "../format/time.ts";
import { gitpleConfigSchema } from "../gitple/config.ts";
import { isDigestCovers, isTimerDuration } from "./durations.ts";
import {
  DESTINATION_NAME,
  MAX_DEDUP_TTL_SECONDS,
  MAX_QUEUE_DELAY_SECONDS,
  NOT_A_TABLE,
  table,
  templateSchema,
} from "./shared.ts";

const NON_NEGATIVE = "must be a non-negative number";

const nonEmptyList = v.pipe(v.array(v.string()), v.minLength(1));

const condition = v.pipe(
  table(
    v.strictObject({ any: v.optional(nonEmptyList), all: v.optional(nonEmptyList), none: v.optional(nonEmptyList) }),
  ),
  v.check(
    (c) => c.any !== undefined || c.all !== undefined || c.none !== undefined,
    "must have at least one of any, all, none",
  ),
);

/** `meta = { plan = ["gold", "vip"] }`: values compare as strings, so numbers and booleans are accepted as written. */
const metaValue = v.pipe(
  v.union([v.string(), v.number(), v.boolean()], "must be a string, number or boolean"),
  v.transform((value) => String(value)),
);
const metaCondition = v.pipe(
  table(v.record(v.string(), v.pipe(v.array(metaValue, "must be a list of values"), v.minLength(1)))),
  v.check((m) => Object.keys(m).length > 0, "must name at least one key"),
);

const rule = table(
  v.strictObject({
    name: v.pipe(
      v.string(),
      v.check((name) => name.trim() !== "", "must not be empty"),
    ),
    events: v.optional(nonEmptyList),
    tags: v.optional(condition),
    categories: v.optional(condition),
    groups: v.optional(condition),
    meta: v.optional(metaCondition),
    app_codes: v.optional(nonEmptyList),
    destinations: nonEmptyList,
    stop: v.optional(v.boolean(), false),
    urgent: v.optional(v.boolean(), false),
    template: v.optional(templateSchema),
  }),
);

/** `timezone`: an IANA name the runtime knows; absent means UTC (times then read as before). */
const timeZone = v.pipe(
  v.string(),
  v.check(
    isTimeZone,
    (issue) => `unknown time zone ${JSON.stringify(issue.input)} (use an IANA name such as "Asia/Seoul" or "UTC")`,
  ),
);

/** The events a timer can start or stop on: Gitple's session events (they name the session). */
export const TIMER_EVENTS: readonly string[] = [
  "session_state_open",
  "session_state_inprogress",
  "session_state_close",
];

const TIMER_DURATION = 'must be a duration from 10s to 7d: a whole number and s, m, h or d (e.g. "90s", "5m", "2h")';
const timerDuration = v.pipe(v.string(), v.check(isTimerDuration, TIMER_DURATION));
const timerEvent = v.pipe(
  v.string(),
  v.check(
    (name) => TIMER_EVENTS.includes(name),
    (issue) => `unknown event name ${JSON.stringify(issue.input)} (expected one of: ${TIMER_EVENTS.join(", ")})`,
  ),
);

/** `[[vars.ROUTING.timers]]`: fires when the `stop` event of a session is late (issue 14). */
const timer = table(
  v.strictObject({
    name: v.pipe(
      v.string(),
      v.check((name) => name.trim() !== "", "must not be empty"),
    ),
    start: timerEvent,
    stop: v.optional(v.array(timerEvent), () => []),
    after: timerDuration,
    repeat: v.optional(timerDuration),
    destinations: nonEmptyList,
    tags: v.optional(condition),
    categories: v.optional(condition),
    groups: v.optional(condition),
    app_codes: v.optional(nonEmptyList),
    urgent: v.optional(v.boolean(), false),
  }),
);

const HH_MM_MESSAGE = 'must be a time "HH:MM", 00:00 to 23:59';
const hhmm = v.pipe(v.string(), v.regex(HH_MM, HH_MM_MESSAGE));
const dayName = v.pipe(
  v.string(),
  v.check(
    (d) => (DAY_NAMES as readonly string[]).includes(d),
    (issue) => `unknown day ${JSON.stringify(issue.input)} (expected one of: ${DAY_NAMES.join(", ")})`,
  ),
);

/** One `quiet_hours` window: whole `days`, a `from`–`to` span every day, or both. */
const quietWindow = v.pipe(
  table(
    v.strictObject({
      days: v.optional(v.pipe(v.array(dayName), v.minLength(1))),
      from: v.optional(hhmm),
      to: v.optional(hhmm),
    }),
  ),
  v.check((w) => (w.from === undefined) === (w.to === undefined), "from and to go together"),
  v.check((w) => w.from === undefined || w.from !== w.to, "from and to must differ"),
  v.check((w) => w.days !== undefined || w.from !== undefined, "must have days, or from and to"),
);

/** `[[vars.ROUTING.digests]]`: a summary of a period's sessions, sent at `at` on its `days` (issue 14). */
const digest = table(
  v.strictObject({
    name: v.pipe(
      v.string(),
      v.check((name) => name.trim() !== "", "must not be empty"),
    ),
    at: hhmm,
    days: v.optional(v.pipe(v.array(dayName), v.minLength(1))),
    covers: v.optional(
      v.pipe(v.string(), v.check(isDigestCovers, 'must be whole hours from 1h to 7d (e.g. "24h", "7d")')),
      "24h",
    ),
    destinations: nonEmptyList,
    tags: v.optional(condition),
    categories: v.optional(condition),
    groups: v.optional(condition),
    app_codes: v.optional(nonEmptyList),
  }),
);

/** The keys every destination kind takes: quiet hours (issue 14, docs/time.md) and the language of its words. */
const QUIET_ENTRIES = {
  quiet_hours: v.optional(v.pipe(v.array(quietWindow), v.minLength(1))),
  during_quiet: v.optional(v.picklist(["defer", "digest"], 'must be "defer" or "digest"')),
  language: v.optional(v.picklist(["ko", "en"], 'must be "ko" or "en"')),
};

/** A number field with one message for every way it can be wrong. */
function numberIn(message: string, ...actions: v.PipeAction<number, number, v.BaseIssue<unknown>>[]) {
  return v.pipe(v.number(message), ...actions);
}

const MAX_ATTEMPTS = "must be a whole number from 1 to 50";
const TIMEOUT = "must be a number above 0 and at most 60";

const delivery = table(
  v.strictObject({
    max_attempts: v.optional(
      numberIn(MAX_ATTEMPTS, v.integer(MAX_ATTEMPTS), v.minValue(1, MAX_ATTEMPTS), v.maxValue(50, MAX_ATTEMPTS)),
      12,
    ),
    backoff_seconds: v.optional(numberIn(NON_NEGATIVE, v.finite(NON_NEGATIVE), v.minValue(0, NON_NEGATIVE)), 30),
    max_backoff_seconds: v.optional(
      numberIn(
        NON_NEGATIVE,
        v.minValue(0, NON_NEGATIVE),
        v.maxValue(MAX_QUEUE_DELAY_SECONDS, `must be at most ${MAX_QUEUE_DELAY_SECONDS} (the queue's longest delay)`),
      ),
      3600,
    ),
    timeout_seconds: v.optional(
      numberIn(
        TIMEOUT,
        v.check((s) => s > 0, TIMEOUT),
        v.maxValue(60, TIMEOUT),
      ),
      10,
    ),
  }),
);

const DEDUP_TTL = `must be a whole number of seconds, from 60 to ${MAX_DEDUP_TTL_SECONDS} (30 days)`;

const destinationName = v.pipe(
  v.string(),
  v.regex(
    DESTINATION_NAME,
    (issue) => `invalid destination name ${JSON.stringify(issue.input)} (use at most 128 letters, digits, "-" and "_")`,
  ),
);

/** Every kind's schema, each a strict object whose `type` is a literal. */
export type KindSchemas = readonly v.StrictObjectSchema<
  { readonly type: v.LiteralSchema<string, undefined> } & v.ObjectEntries,
  undefined
>[];

/** One destination: the kind named by `type`, then that kind's strict schema. */
export function destinationSchemaOf<D>(kinds: KindSchemas): v.GenericSchema<unknown, D> {
  const types = kinds.map((kind) => kind.entries.type.literal);
  const withQuiet = kinds.map((kind) => v.strictObject({ ...kind.entries, ...QUIET_ENTRIES }));
  return table(
    v.variant("type", withQuiet, (issue) => {
      const expected = `(expected one of: ${types.join(", ")})`;
      return issue.input === undefined
        ? `is required ${expected}`
        : `unknown destination type ${issue.received} ${expected}`;
    }),
  ) as unknown as v.GenericSchema<unknown, D>;
}

/** `ROUTING`, defaults applied. Parse with `{ abortPipeEarly: true, message: fallbackMessage }`. */
export function routingSchemaOf(destinationSchema: v.GenericSchema) {
  return v.strictObject({
    timezone: v.optional(timeZone),
    dedup_ttl_seconds: v.optional(
      numberIn(
        DEDUP_TTL,
        v.integer(DEDUP_TTL),
        v.minValue(60, DEDUP_TTL),
        v.maxValue(MAX_DEDUP_TTL_SECONDS, DEDUP_TTL),
      ),
      86400,
    ),
    fallback: v.optional(v.array(v.string()), () => []),
    delivery: v.optional(delivery, () => ({})),
    destinations: table(v.record(destinationName, destinationSchema)),
    rules: v.optional(v.array(rule), () => []),
    gitple: v.optional(table(gitpleConfigSchema)),
    timers: v.optional(v.array(timer), () => []),
    digests: v.optional(v.array(digest), () => []),
  });
}

/**
 * The message for an issue whose schema gave none: type errors, missing and
 * unknown keys, empty lists.
 *
 * @example
 * fallbackMessage({ type: "boolean", … }) // → "must be a boolean"
 */
export function fallbackMessage(issue: v.BaseIssue<unknown>): string {
  switch (issue.type) {
    case "string":
      return "must be a string";
    case "boolean":
      return "must be a boolean";
    case "number":
      return "must be a number";
    case "array":
      return "must be a list";
    case "min_length":
      return "must not be empty";
    case "record":
      return NOT_A_TABLE;
    case "strict_object":
      if (issue.expected === "never") return `unknown key ${JSON.stringify(issue.input)}`;
      return issue.expected === "Object" ? NOT_A_TABLE : "is required";
    default:
      return `expected ${issue.expected ?? "something else"}, got ${issue.received}`;
  }
}
