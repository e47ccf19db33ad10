// The cost bench's globalSetup: the local stand-in receiver the destinations post to.
import type { TestProject } from "vitest/node";
import { startFakeReceiver } from "../../scripts/lib/receiver.ts";

export default async function setup(project: TestProject) {
  const receiver = await startFakeReceiver();
  project.provide("receiverPort", receiver.port);
  return () => receiver.close();
}
