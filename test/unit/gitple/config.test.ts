import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { parseGitpleConfig } from "../../../src/gitple/config.ts";

const issuesOf = (input: unknown) => {
  const r = parseGitpleConfig(input);
  return r.success ? [] : r.issues.map((i) => `${v.getDotPath(i) ?? ""}: ${i.message}`);
};

describe("[vars.ROUTING.gitple]", () => {
  it("defaults", () => {
    expect(parseGitpleConfig({ api_secret: "GITPLE_API_SECRET" })).toMatchObject({
      success: true,
      output: {
        api_secret: "GITPLE_API_SECRET",
        api_url: "https://api.gitple.io/v1",
        cache_ttl_seconds: 86400,
        timeout_seconds: 3,
      },
    });
  });

  it("a trailing slash is dropped from api_url", () => {
    const r = parseGitpleConfig({ api_secret: "S", api_url: "http://127.0.0.1:8788/v1/" });
    expect(r.success && r.output.api_url).toBe("http://127.0.0.1:8788/v1");
  });

  it.each<[string, unknown, string]>([
    ["api_secret missing", {}, "api_secret: is required"],
    ["a secret value, not a name", { api_secret: "sk live 123/abc" }, "api_secret: must be the name of a secret"],
    ["api_url not a URL", { api_secret: "S", api_url: "api.gitple.io" }, "api_url: must be an http(s) URL"],
    ["api_url ftp", { api_secret: "S", api_url: "ftp://api.gitple.io/v1" }, "api_url: must be an http(s) URL"],
    [
      "api_url with a password",
      { api_secret: "S", api_url: "https://u:p@api.gitple.io/v1" },
      "api_url: must not contain a user or password",
    ],
    [
      "cache_ttl_seconds too small",
      { api_secret: "S", cache_ttl_seconds: 59 },
      "cache_ttl_seconds: must be a whole number from 60 to 604800",
    ],
    [
      "cache_ttl_seconds too large",
      { api_secret: "S", cache_ttl_seconds: 604801 },
      "cache_ttl_seconds: must be a whole number from 60 to 604800",
    ],
    [
      "timeout_seconds 0",
      { api_secret: "S", timeout_seconds: 0 },
      "timeout_seconds: must be a whole number from 1 to 10",
    ],
    [
      "timeout_seconds 11",
      { api_secret: "S", timeout_seconds: 11 },
      "timeout_seconds: must be a whole number from 1 to 10",
    ],
    [
      "timeout_seconds 2.5",
      { api_secret: "S", timeout_seconds: 2.5 },
      "timeout_seconds: must be a whole number from 1 to 10",
    ],
    [
      "timeout_seconds a string",
      { api_secret: "S", timeout_seconds: "3" },
      "timeout_seconds: must be a whole number from 1 to 10",
    ],
    ["an unknown key", { api_secret: "S", api_key: "x" }, "api_key: unknown key (expected one of: api_secret"],
    ["not a table", "GITPLE_API_SECRET", ": must be a table"],
  ])("%s", (_label, input, expected) => {
    const issues = issuesOf(input);
    expect(
      issues.some((i) => i.startsWith(expected)),
      issues.join("\n"),
    ).toBe(true);
  });

  it("the bounds themselves are fine", () => {
    expect(issuesOf({ api_secret: "S", cache_ttl_seconds: 60, timeout_seconds: 1 })).toEqual([]);
    expect(issuesOf({ api_secret: "S", cache_ttl_seconds: 604800, timeout_seconds: 10 })).toEqual([]);
  });
});
