// The Slack formatter over generated events, the way the relay reaches it (a
// JSON body parsed, then viewed): whatever the payload holds, the message stays
// within Block Kit's limits, its mrkdwn is escaped (no `<!channel>`, `<@U…>` or
// `<url|link>` survives), and it has no control characters or lone surrogates.
// Complements the fixed cases in slack-format.test.ts; here lone surrogates and
// any JSON value in any field are fair game.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { SlackDestinationConfig } from "../../../../src/destinations/slack/config.ts";
import { formatSlack } from "../../../../src/destinations/slack/format.ts";
import { viewEvent } from "../../../../src/event/view.ts";
import type { RawEvent } from "../../../../src/ingest/parse.ts";
import { slackProblems } from "../../../support/slack.ts";

const nasty = fc.constantFrom(
  "<!channel>",
  "<!here|here>",
  "<!everyone>",
  "<@U123>",
  "<#C1|general>",
  "<!subteam^S1>",
  "<https://evil.example|click>",
  "&",
  "&amp;",
  "&lt;!channel&gt;",
  "\u0000",
  "\u001b[31m",
  "\r\n",
  "\u2028",
  "\ud800",
  "\udfff",
  "😀",
  "가",
);
const text = fc.oneof(
  fc.string({ unit: "binary", maxLength: 30 }),
  nasty,
  fc.array(nasty, { maxLength: 40 }).map((parts) => parts.join("")),
  fc.tuple(nasty, fc.integer({ min: 1, max: 1200 })).map(([s, n]) => s.repeat(n)),
);
const anyValue = fc.oneof(
  { depthSize: "small" },
  text,
  fc.jsonValue({ maxDepth: 3 }),
  fc.array(text, { maxLength: 20 }),
  fc.constantFrom(null, 0, -1.5, 1e21, true),
);
const object = (keys: string[]) =>
  fc.oneof(fc.dictionary(fc.constantFrom(...keys), anyValue, { maxKeys: keys.length }), anyValue);

const event = fc.record(
  {
    type: fc.oneof(
      fc.constantFrom("session_state_open", "session_state_inprogress", "session_state_close", "send_external_message"),
      text.filter((t) => t.length > 0),
    ),
    triggerId: text.filter((t) => t.length > 0),
    appCode: anyValue,
    ctime: anyValue,
    session: object([
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
      "__proto__",
    ]),
    from: object(["type", "id", "name"]),
    to: object(["type", "id", "name", "email", "phone", "tags", "groups"]),
    message: object(["type", "content"]),
  },
  { requiredKeys: ["type", "triggerId"] },
);

const dest: SlackDestinationConfig = { type: "slack", webhook_url_secret: "SLACK_URL", include_contact: false };

describe("formatSlack (properties)", () => {
  it("stays within Slack's limits and escaped, with no control characters or lone surrogates, for any event", () => {
    fc.assert(
      fc.property(event, fc.boolean(), (raw, includeContact) => {
        // As the relay sees it: the body is JSON text, parsed (lone surrogates survive as \u escapes).
        const parsed = JSON.parse(JSON.stringify(raw)) as RawEvent;
        const payload = formatSlack(viewEvent(parsed), { ...dest, include_contact: includeContact });
        expect(slackProblems(JSON.stringify(payload))).toEqual([]);
        // Only the header is plain_text (Slack never parses markup there); nowhere else may `<!` appear.
        const rest = { ...payload, blocks: payload.blocks.filter((b) => b.type !== "header") };
        expect(JSON.stringify(rest)).not.toContain("<!");
      }),
      { numRuns: 400 },
    );
  });
});
