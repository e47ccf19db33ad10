// GET /health reports src/version.ts; releases bump package.json. They must agree.
import { describe, expect, it } from "vitest";
import pkg from "../../package.json" with { type: "json" };
import { VERSION } from "../../src/version.ts";

describe("the relay's version", () => {
  it("is package.json's", () => {
    expect(VERSION).toBe(pkg.version);
  });
});
