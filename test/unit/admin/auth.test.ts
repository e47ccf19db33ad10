import { describe, expect, it } from "vitest";
import { sameToken } from "../../../src/admin/auth.ts";

describe("sameToken", () => {
  it.each([
    ["s3cret-token", "s3cret-token", true],
    ["s3cret-toke", "s3cret-token", false],
    ["s3cret-tokenn", "s3cret-token", false],
    ["S3cret-token", "s3cret-token", false],
    ["", "s3cret-token", false],
    ["ünïcödé", "ünïcödé", true],
    ["x".repeat(10_000), "x".repeat(10_000), true],
  ])("%j vs %j → %s", async (presented, expected, same) => {
    expect(await sameToken(presented, expected)).toBe(same);
  });
});
