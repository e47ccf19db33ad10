// `npm run bench` fails (exit 1, after printing its figures) when an event was
// not accepted or a delivery is missing, doubled or unexpected: the verdict it
// exits on (bench/lib/verdict.ts). The benchmark itself is not run here (it
// loads the machine for minutes); its exit path is that function.
import { describe, expect, it } from "vitest";
import { deliveryFailures } from "../../bench/lib/verdict.ts";

const run = (accepted: number, missing: number, duplicated: number, unexpected: number) => ({
  events: 200,
  ingest: { ingest: { accepted }, delivery: { missing, duplicated, unexpected } },
});

describe("bench verdict", () => {
  it.each<[string, ReturnType<typeof run>, string[]]>([
    ["all accepted, each delivery exactly once", run(200, 0, 0, 0), []],
    ["an event not accepted", run(199, 0, 0, 0), ["only 199 of 200 events accepted (202)"]],
    ["a delivery missing", run(200, 3, 0, 0), ["3 expected deliveries missing"]],
    ["a delivery twice", run(200, 0, 1, 0), ["1 expected deliveries arrived twice or more"]],
    ["a delivery nobody expected", run(200, 0, 0, 2), ["2 unexpected deliveries"]],
    [
      "everything at once",
      run(10, 1, 1, 1),
      [
        "only 10 of 200 events accepted (202)",
        "1 expected deliveries missing",
        "1 expected deliveries arrived twice or more",
        "1 unexpected deliveries",
      ],
    ],
  ])("%s", (_, results, failures) => {
    expect(deliveryFailures(results)).toEqual(failures);
  });

  it("a run without the ingest part has nothing to fail on", () => {
    expect(deliveryFailures({ events: 2000 })).toEqual([]);
  });
});
