// Starts the Gitple Open API stand-in (scripts/lib/gitple-stand-in.ts) once for the test run and hands
// its port to the workers through vitest's provide/inject (`inject("gitplePort")`). Test files keep
// apart by registering a workspace (an app code) of their own: see test/unit/gitple/stand-in.ts.
import type { TestProject } from "vitest/node";
import { startGitpleStandIn } from "../../scripts/lib/gitple-stand-in.ts";

export default async function setup(project: TestProject) {
  const gitple = await startGitpleStandIn();
  project.provide("gitplePort", gitple.port);
  return () => gitple.close();
}
