// Types of verdict.mjs, so its test type-checks.
export interface BenchResults {
  readonly events: number;
  readonly ingest?: {
    readonly ingest: { readonly accepted: number };
    readonly delivery: { readonly missing: number; readonly duplicated: number; readonly unexpected: number };
  };
}
export function deliveryFailures(results: BenchResults): string[];
