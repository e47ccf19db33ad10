// Starts the fake third-party receiver once for the whole test run and hands
// its port to the workers through vitest's provide/inject. At the end of the
// run, checks everything the relay said or posted for secrets (leaks.ts).
import type { TestProject } from "vitest/node";
import { startFakeReceiver } from "../../scripts/lib/receiver.ts";
import { type Captured, captureProblem, describeLeaks, findLeaks, secretNeedles } from "./leaks.ts";
import { capturedLogs, startCapture } from "./node/capture.ts";
import { TEST_SLACK_BOT_TOKEN, testBindings } from "./test-env.ts";

export default async function setup(project: TestProject) {
  const capture = startCapture();
  const receiver = await startFakeReceiver({ slackToken: TEST_SLACK_BOT_TOKEN });
  project.provide("receiverPort", receiver.port);
  return async () => {
    await receiver.close();
    const reported: Captured[] = receiver.captured;
    const posted: Captured[] = receiver.attempts.map((a) => ({
      kind: "posted",
      source: `POST ${a.path}`,
      text: a.body,
    }));
    // Log lines are captured inside the worker (capture-responses.ts, whatever the reporters); the reporter
    // hook's copy (capture.ts, console-printing reporters only) adds lines logged outside a file's lifetime.
    const problem = captureProblem(reported);
    if (problem) throw new Error(problem);
    const seen = new Set<string>();
    const logs = [...reported.filter((c) => c.kind === "log"), ...capturedLogs(capture.file)].filter(
      (c) => !seen.has(c.text) && seen.add(c.text),
    );
    const all = [...logs, ...reported.filter((c) => c.kind === "response"), ...posted];
    const signatures = reported.filter((c) => c.kind === "signature").map((c) => c.text);
    const leaks = findLeaks(all, secretNeedles(testBindings(receiver.port), signatures));
    if (leaks.length > 0) {
      // Kept for a look: the console lines of the run.
      throw new Error(`${describeLeaks(leaks, all.length)}\n(console lines of the run: ${capture.file})`);
    }
    const responses = all.length - logs.length - posted.length;
    console.log(
      `Secrets check: no secret in ${logs.length} log lines, ${responses} responses and ${posted.length} posts of this run.`,
    );
    capture.remove();
  };
}
