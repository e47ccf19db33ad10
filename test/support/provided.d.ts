// What the globalSetup files hand the tests through vitest's provide/inject, typed once for both
// TypeScript projects (the workers' tests inject, the Node-side setups provide).
import "vitest";

declare module "vitest" {
  export interface ProvidedContext {
    /** The local stand-in receiver (test/support/global-setup.ts). */
    receiverPort: number;
    /** The Gitple Open API stand-in (test/support/gitple-global-setup.ts). */
    gitplePort: number;
  }
}
