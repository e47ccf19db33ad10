// The console's pure parts: times in the configured timezone, Slack mrkdwn
// drawn as HTML, the session.
import { describe, expect, it } from "vitest";
import { csrfMatches, csrfToken, newSession, readSession } from "../../../src/console/session.ts";
import { Mrkdwn } from "../../../src/console/slack-preview.ts";
import { formatTime } from "../../../src/console/time.ts";

describe("formatTime", () => {
  it.each([
    ["Asia/Seoul", "2019-04-29 18:05 KST"],
    ["UTC", "2019-04-29 09:05 UTC"],
    ["America/New_York", "2019-04-29 05:05 EDT"],
  ])("shows a time in %s", (tz, shown) => {
    expect(formatTime("2019-04-29T09:05:56.001Z", tz)).toBe(shown);
  });
  it("shows a missing time as a dash and an unreadable one as it is", () => {
    expect(formatTime(null, "UTC")).toBe("—");
    expect(formatTime("soon", "UTC")).toBe("soon");
  });
});

describe("Mrkdwn", () => {
  const html = (text: string) => String(Mrkdwn({ text }));
  it("draws bold, italic, strike, code and links, and keeps escaped text escaped", () => {
    expect(html("*Note*\n_a_ ~b~ `c` <https://x.test/?a=1&amp;b=2|열기> &lt;script&gt;")).toBe(
      '<b>Note</b>\n<i>a</i> <s>b</s> <code>c</code> <a href="https://x.test/?a=1&amp;b=2" rel="noreferrer noopener" target="_blank">열기</a> &lt;script&gt;',
    );
  });
  it("leaves underscores and stars inside words alone, as Slack does", () => {
    expect(html("Gitple · session_state_close · a*b*c · _말_")).toBe(
      "Gitple · session_state_close · a*b*c · <i>말</i>",
    );
  });
  it("never makes a link of a javascript: URL, and shows mentions as text", () => {
    expect(html("<javascript:alert(1)|click>")).toBe("click");
    expect(html("<!channel>")).toBe('<span class="sk-mention">@channel</span>');
  });
});

describe("session", () => {
  it("is valid for 12 hours under its own token only, with a CSRF token of its own", async () => {
    const now = Date.parse("2026-01-01T00:00:00Z");
    const value = await newSession("token", now);
    const session = await readSession("token", value, now + 1000);
    expect(session).not.toBeNull();
    expect(await readSession("token", value, now + 12 * 3600 * 1000 + 1)).toBeNull();
    expect(await readSession("other", value, now)).toBeNull();
    // A signature character changed to another one (the first: every one of its bits is signature).
    const at = value.lastIndexOf(".") + 1;
    const tampered = `${value.slice(0, at)}${value[at] === "A" ? "B" : "A"}${value.slice(at + 1)}`;
    expect(tampered).not.toBe(value);
    expect(await readSession("token", tampered, now)).toBeNull();
    if (session === null) return;
    const csrf = await csrfToken("token", session);
    expect(await csrfMatches("token", session, csrf)).toBe(true);
    expect(await csrfMatches("other", session, csrf)).toBe(false);
    expect(await csrfMatches("token", { ...session, id: "x".repeat(22) }, csrf)).toBe(false);
  });
});
