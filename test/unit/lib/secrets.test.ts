import { describe, expect, it } from "vitest";
import { namedBinding, namedSecret, relaySecret } from "../../../src/lib/secrets.ts";

describe("relaySecret", () => {
  it.each([
    [{ ADMIN_TOKEN: "t0k3n" }, "t0k3n"],
    [{ ADMIN_TOKEN: " spaced " }, " spaced "],
    [{ ADMIN_TOKEN: "" }, undefined],
    [{}, undefined],
  ])("reads %j as %j", (env, expected) => {
    expect(relaySecret(env, "ADMIN_TOKEN")).toBe(expected);
  });

  it("counts only strings, whatever a var of the same name holds", () => {
    expect(relaySecret({ GITPLE_SECRET: 42 } as never, "GITPLE_SECRET")).toBeUndefined();
  });
});

describe("namedSecret", () => {
  const env = { SLACK_OPS_URL: "https://hooks.example/T/B/x", EMPTY: "", DEDUP: { get() {} } };

  it.each([
    ["SLACK_OPS_URL", "https://hooks.example/T/B/x"],
    ["EMPTY", undefined],
    ["DEDUP", undefined],
    ["MISSING", undefined],
    ["toString", undefined],
  ])("reads %s as %j", (name, expected) => {
    expect(namedSecret(env, name)).toBe(expected);
  });
});

describe("namedBinding", () => {
  it("returns what the Worker has under the name, or undefined", () => {
    const binding = { send() {} };
    expect(namedBinding({ EMAIL: binding }, "EMAIL")).toBe(binding);
    expect(namedBinding({}, "EMAIL")).toBeUndefined();
  });
});
