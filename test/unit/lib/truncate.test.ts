import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ELLIPSIS, truncate } from "../../../src/lib/truncate.ts";

describe("truncate: the one cut with an ellipsis", () => {
  it.each([
    ["안녕하세요", 4, "안녕하…"],
    ["short", 10, "short"],
    ["short", 5, "short"],
    ["a😀b", 3, "a…"],
    ["ab😀", 3, "ab…"],
    ["abc", 0, ""],
    ["abc", 1, "…"],
  ])("truncate(%j, %d) → %j", (text, max, expected) => {
    expect(truncate(text, max)).toBe(expected);
  });

  it("lets a back-off keep an escape whole, seeing past the cut", () => {
    const seen: string[] = [];
    const out = truncate("Tom &amp; Jerry", 7, (kept, whole) => {
      seen.push(whole);
      return kept.slice(0, kept.lastIndexOf("&"));
    });
    expect(out).toBe("Tom …");
    expect(seen).toEqual(["Tom &amp; Jerry"]);
  });

  it("never exceeds max, never leaves a lone high surrogate, and keeps a prefix", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme" }), fc.integer({ min: 1, max: 40 }), (text, max) => {
        const out = truncate(text, max);
        expect(out.length).toBeLessThanOrEqual(Math.max(max, 0));
        if (out === text) return;
        expect(out.endsWith(ELLIPSIS)).toBe(true);
        const kept = out.slice(0, -1);
        expect(text.startsWith(kept)).toBe(true);
        expect(/[\uD800-\uDBFF]$/.test(kept)).toBe(false);
      }),
    );
  });
});
