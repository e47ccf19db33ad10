import { describe, expect, it } from "vitest";
import { cursorToken, parseCursor, parseDeadLetterId, parseIdParam, parseLimit } from "../../../src/admin/input.ts";

const LIMIT = "limit must be a whole number from 1 to 100";

describe("parseLimit", () => {
  it.each([
    [undefined, { ok: true, value: 50 }],
    ["1", { ok: true, value: 1 }],
    ["100", { ok: true, value: 100 }],
    ["007", { ok: true, value: 7 }],
    ["0", { ok: false, error: LIMIT }],
    ["101", { ok: false, error: LIMIT }],
    ["1000", { ok: false, error: LIMIT }],
    ["-1", { ok: false, error: LIMIT }],
    ["1.5", { ok: false, error: LIMIT }],
    ["1e2", { ok: false, error: LIMIT }],
    [" 5", { ok: false, error: LIMIT }],
    ["", { ok: false, error: LIMIT }],
  ])("%j → %j", (raw, expected) => {
    expect(parseLimit(raw)).toEqual(expected);
  });
});

describe("cursors", () => {
  it.each([
    "eDE=",
    "AAEC+/==",
    "ZGVhZC1pbmRleDo4MjA0Mzg1MjAyOTU3OjRkYTE0NThjM2UzZDAyNTk0ZjRiMGZiOGEwNDIyZWE3Lm9wcw==",
    "ü",
  ])("KV's cursor %j goes out URL-safe and comes back unchanged", (kvCursor) => {
    const token = cursorToken(kvCursor);
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(parseCursor(token)).toEqual({ ok: true, value: kvCursor });
  });

  it.each([
    [undefined, true],
    ["ZURFPQ", true],
    ["", false],
    ["a b", false],
    ["eDE=", false],
    ["<script>", false],
    ["a", false],
    ["_w", false],
    ["a".repeat(2049), false],
  ])("%j → ok %s", (raw, ok) => {
    expect(parseCursor(raw).ok).toBe(ok);
  });
});

describe("parseDeadLetterId", () => {
  const hex = "0123456789abcdef0123456789abcdef";
  it.each([
    [`${hex}.ops`, true],
    [`${hex}.vip_slack-2`, true],
    [`${hex}.${"d".repeat(128)}`, true],
    [`${hex}.${"d".repeat(129)}`, false],
    [`${hex}.`, false],
    [hex, false],
    [`${hex.toUpperCase()}.ops`, false],
    [`${hex.slice(1)}.ops`, false],
    [`${hex}.o/ps`, false],
    [`${hex}.ops\n`, false],
  ])("%j → ok %s", (raw, ok) => {
    expect(parseDeadLetterId(raw).ok).toBe(ok);
  });
});

describe("parseIdParam", () => {
  it.each([
    [undefined, { ok: false, error: 'missing query parameter "triggerId"' }],
    ["", { ok: false, error: 'missing query parameter "triggerId"' }],
    ["t-1", { ok: true, value: "t-1" }],
    ["t".repeat(256), { ok: true, value: "t".repeat(256) }],
    ["t".repeat(257), { ok: false, error: 'query parameter "triggerId" is longer than 256 characters' }],
  ])("%j → %j", (raw, expected) => {
    expect(parseIdParam("triggerId", raw)).toEqual(expected);
  });
});
