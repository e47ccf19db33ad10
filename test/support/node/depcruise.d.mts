// Types of depcruise.mjs, for the tests that type-check without @types/node.
export function depcruise(fixture: string, target?: string): { status: number | null; stdout: string; stderr: string };
