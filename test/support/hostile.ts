// Hostile and random Gitple payloads shared by the formatters' tests, and the
// property every formatter must hold for them.
import fc from "fast-check";
import { expect } from "vitest";
import { type EventView, viewEvent } from "../../src/event/view.ts";
import type { Template } from "../../src/routing/types.ts";

type Raw = Record<string, unknown> & { type: string; triggerId: string };

/** A message event whose every string tries to ping, forge a link, inject markup or a header line. */
export function hostileEvent(): Raw {
  return {
    type: "send_external_message",
    triggerId: "<!here>",
    appCode: "@everyone",
    from: { type: "agent", id: "<@U123> **bold**" },
    to: {
      type: "user",
      id: "@here",
      name: "<!channel> @everyone 김\r\n*Email*\r\nfake@evil.example",
      email: "<mailto:x@y|x>",
    },
    message: {
      content:
        "<!here|here> & </script>\r\n<@&123> <#456> [click](https://evil.example)\n# not a heading\n- not a list\n||spoiler|| `code`",
    },
  };
}

const text = fc.oneof(
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.constantFrom(
    "<!channel>",
    "@everyone",
    "<@123>",
    "&",
    "&amp;",
    "</script>",
    "\r\n",
    "😀",
    "가",
    "**",
    "\\",
    "<b>",
  ),
  fc.string({ unit: "binary", minLength: 1000, maxLength: 5000 }),
);
const value = fc.oneof(text, fc.constant(null), fc.integer(), fc.array(text, { maxLength: 30 }));
const obj = (keys: string[]) => fc.option(fc.dictionary(fc.constantFrom(...keys), value), { nil: undefined });

/** Any payload the ingest could accept: known or unknown type, any field of any shape. */
export const randomEvent: fc.Arbitrary<Raw> = fc.record({
  type: fc.oneof(
    fc.constantFrom("session_state_open", "session_state_inprogress", "session_state_close", "send_external_message"),
    text,
  ),
  triggerId: text,
  appCode: fc.option(text, { nil: undefined }),
  ctime: fc.option(
    fc.oneof(
      text,
      fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
    ),
    { nil: undefined },
  ),
  session: obj([
    "id",
    "openTime",
    "inprogressTime",
    "closeTime",
    "reason",
    "userId",
    "assigneeType",
    "assigneeId",
    "note",
    "userGroups",
    "categories",
    "tags",
  ]),
  from: obj(["type", "id"]),
  to: obj(["type", "id", "name", "email", "phone", "tags", "groups"]),
  message: obj(["type", "content"]),
});

/** What a formatter under the shared property is given besides the event. */
export interface FormatOptions {
  readonly includeContact: boolean;
  readonly sessionUrl?: string;
  readonly template?: Template;
}

/**
 * The property every formatter's tests assert: for any payload, with or without
 * contact details, with any session link (valid or not) and, for half the
 * events, an operator's template, `violations` (the kind's own limits and
 * escaping rules) finds nothing.
 */
export function assertHoldsForAnyPayload<P>(
  format: (event: EventView, opts: FormatOptions) => P,
  violations: (payload: P) => string[],
): void {
  const sessionUrl = fc.option(fc.oneof(fc.webUrl(), fc.string()), { nil: undefined });
  fc.assert(
    fc.property(randomEvent, fc.boolean(), sessionUrl, (raw, includeContact, url) => {
      fc.pre(JSON.stringify(raw).isWellFormed());
      const template =
        raw.triggerId.length % 2 === 0 ? undefined : { title: "{{to.name}}", text: "{{message.content}}" };
      expect(violations(format(viewEvent(raw), { includeContact, sessionUrl: url, template }))).toEqual([]);
    }),
    { numRuns: 300 },
  );
}
