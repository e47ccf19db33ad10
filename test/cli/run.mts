// Transitional: test/cli/readme-example.test.ts (moved with the README on another branch) still imports
// "./run.mjs", which TypeScript and vite resolve to this file. Delete it once that import reads "./run.ts".
export * from "./run.ts";
