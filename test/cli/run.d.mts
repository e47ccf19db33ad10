// Types of run.mjs, so the CLI tests type-check without @types/node.
export interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}
export interface SendRun extends Run {
  /** How many requests reached the local receiver. */
  readonly requests: number;
  /** Whether the one request's X-Hub-Signature is the HMAC of its body with the given secret. */
  readonly signedWith: boolean;
}
export function routes(...args: string[]): Run;
export function routesWithInput(input: string, ...args: string[]): Run;
export function check(...args: string[]): Run;
export function repoFile(path: string): string;
export function repoPath(path: string): string;
export function tempFolder(files: Record<string, string>): string;
export function removeTempFolders(): void;
export function send(cwd: string, secret: string, ...args: string[]): Promise<SendRun>;
