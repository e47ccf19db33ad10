// The secrets check must be able to fail: each kind of leak it looks for is found here.
import { describe, expect, it } from "vitest";
import { type Captured, captureProblem, describeLeaks, findLeaks, secretNeedles } from "../../support/leaks.ts";
import { testBindings } from "../../support/test-env.ts";

const needles = secretNeedles(testBindings(4321), [`sha256=${"AB".repeat(32)}`]);
const log = (text: string): Captured => ({ kind: "log", source: "x.test.ts", text });

describe("the secrets check", () => {
  it("names every secret of the test env, each webhook URL three ways, and the signatures sent", () => {
    expect(needles.map((n) => n.name)).toEqual([
      "GITPLE_SECRET",
      "GITPLE_SECRET_PREVIOUS",
      "RESEND_API_KEY",
      "SLACK_BOT_TOKEN",
      "SLACK_MAIN_URL",
      "SLACK_MAIN_URL (without scheme)",
      "SLACK_MAIN_URL (path)",
      "SLACK_SECOND_URL",
      "SLACK_SECOND_URL (without scheme)",
      "SLACK_SECOND_URL (path)",
      "SLACK_VIP_URL",
      "SLACK_VIP_URL (without scheme)",
      "SLACK_VIP_URL (path)",
      "SLACK_OPS_URL",
      "SLACK_OPS_URL (without scheme)",
      "SLACK_OPS_URL (path)",
      "WEBHOOK_URL",
      "WEBHOOK_URL (without scheme)",
      "WEBHOOK_URL (path)",
      "WEBHOOK_SIGNED_URL",
      "WEBHOOK_SIGNED_URL (without scheme)",
      "WEBHOOK_SIGNED_URL (path)",
      "WEBHOOK_ENVELOPE_URL",
      "WEBHOOK_ENVELOPE_URL (without scheme)",
      "WEBHOOK_ENVELOPE_URL (path)",
      "WEBHOOK_SIGNING_SECRET",
      "WEBHOOK_TOKEN",
      "DISCORD_URL",
      "DISCORD_URL (without scheme)",
      "DISCORD_URL (path)",
      "TEAMS_URL",
      "TEAMS_URL (without scheme)",
      "TEAMS_URL (path)",
      "GCHAT_URL",
      "GCHAT_URL (without scheme)",
      "GCHAT_URL (path)",
      "ADMIN_TOKEN",
      "GITPLE_API_SECRET",
      "GITPLE_API_SECRET_WRONG",
      "the demo Open API secret",
      "a signature sent",
    ]);
  });

  it.each([
    ["the signing secret", '{"msg":"x","secret":"test secret, with spaces & ünïcödé"}', "GITPLE_SECRET"],
    ["the previous secret", "previous-secret", "GITPLE_SECRET_PREVIOUS"],
    ["a webhook URL", "posting to http://127.0.0.1:4321/hook/vip", "SLACK_VIP_URL"],
    ["a webhook URL without its scheme", "host 127.0.0.1:4321/hook/ops", "SLACK_OPS_URL (without scheme)"],
    ["a webhook URL's path", "HTTP 404: Cannot POST /hook/main", "SLACK_MAIN_URL (path)"],
    ["a signature, in any case", `sig ${"ab".repeat(32)}`, "a signature sent"],
  ])("finds %s", (_what, text, name) => {
    const leaks = findLeaks([log(text)], needles);
    expect(leaks.map((l) => l.needle)).toEqual([name]);
    expect(leaks[0]?.excerpt).toContain(`[${name}]`);
    expect(describeLeaks(leaks, 1)).toContain(`${name} in a log (x.test.ts)`);
  });

  it("passes clean texts, and never prints a secret in its report", () => {
    expect(findLeaks([log('{"level":"info","msg":"event accepted","destinations":["main-slack"]}')], needles)).toEqual(
      [],
    );
    const report = describeLeaks(findLeaks([log("k=test secret, with spaces & ünïcödé")], needles), 1);
    expect(report).not.toContain("ünïcödé");
  });

  it("refuses a run whose worker records hold no log line: the console capture saw nothing", () => {
    const response: Captured = { kind: "response", source: "x.test.ts", text: "202\n\n{}" };
    expect(captureProblem([response])).toContain("captured 1 records from the worker but no log line");
    expect(captureProblem([response, log("probe")])).toBeUndefined();
    // Nothing from the worker at all (e.g. no workers file ran): nothing to check, nothing to refuse.
    expect(captureProblem([])).toBeUndefined();
  });
});
