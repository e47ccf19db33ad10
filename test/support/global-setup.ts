// Starts the fake third-party receiver once for the whole test run and hands
// its port to the workers through vitest's provide/inject.
import type { TestProject } from "vitest/node";
import { startFakeReceiver } from "../../scripts/lib/receiver.mjs";

export default async function setup(project: TestProject) {
  const receiver = await startFakeReceiver();
  project.provide("receiverPort", receiver.port);
  return () => receiver.close();
}

declare module "vitest" {
  export interface ProvidedContext {
    receiverPort: number;
  }
}
