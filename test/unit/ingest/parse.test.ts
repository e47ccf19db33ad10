import { describe, expect, it } from "vitest";
import { parseEvent } from "../../../src/ingest/parse.ts";

const enc = (s: string) => new TextEncoder().encode(s);

describe("parseEvent", () => {
  it("parses an event and keeps the raw text", () => {
    const text = '{"triggerId":"t1","type":"session_state_open","appCode":"A"}';
    const result = parseEvent(enc(text));
    expect(result).toEqual({
      ok: true,
      value: { raw: text, event: { triggerId: "t1", type: "session_state_open", appCode: "A" } },
    });
  });

  it.each([
    ["empty body", "", { reason: "invalid_json" }],
    ["not JSON", "triggerId=1", { reason: "invalid_json" }],
    ["an array", "[1]", { reason: "not_object" }],
    ["null", "null", { reason: "not_object" }],
    ["a string", '"x"', { reason: "not_object" }],
    ["no triggerId", '{"type":"x"}', { reason: "missing_field", field: "triggerId" }],
    ["empty triggerId", '{"triggerId":"","type":"x"}', { reason: "missing_field", field: "triggerId" }],
    ["numeric triggerId", '{"triggerId":1,"type":"x"}', { reason: "missing_field", field: "triggerId" }],
    ["no type", '{"triggerId":"t"}', { reason: "missing_field", field: "type" }],
    ["type as array", '{"triggerId":"t","type":["x"]}', { reason: "missing_field", field: "type" }],
    [
      "very long triggerId",
      `{"triggerId":"${"x".repeat(300)}","type":"x"}`,
      { reason: "field_too_long", field: "triggerId" },
    ],
  ])("rejects %s", (_what, text, error) => {
    expect(parseEvent(enc(text))).toEqual({ ok: false, error });
  });

  it("rejects invalid UTF-8", () => {
    const bytes = new Uint8Array([...enc('{"triggerId":"t","type":"x","n":"'), 0xff, 0xfe, ...enc('"}')]);
    expect(parseEvent(bytes)).toEqual({ ok: false, error: { reason: "invalid_utf8" } });
  });

  it("survives thousands of nesting levels", () => {
    const deep = `{"triggerId":"t","type":"x","meta":${"[".repeat(5000)}${"]".repeat(5000)}}`;
    const result = parseEvent(enc(deep));
    expect(result.ok).toBe(true);
  });
});
