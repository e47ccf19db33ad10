// Types of run.mjs, so the CLI tests type-check without @types/node.
export interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}
export function routes(...args: string[]): Run;
export function routesWithInput(input: string, ...args: string[]): Run;
