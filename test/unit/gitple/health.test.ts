import { describe, expect, it, vi } from "vitest";
import { unauthorizedMessage } from "../../../src/gitple/client.ts";
import { gitpleHealth, noteResolution } from "../../../src/gitple/health.ts";

describe("gitpleHealth / noteResolution", () => {
  it("not configured: just that; configured: whether the secret is set", () => {
    expect(gitpleHealth(false, false)).toEqual({ configured: false });
    expect(gitpleHealth(true, true)).toEqual({ configured: true, secret: { set: true } });
  });

  it("a 401 is logged once per isolate, shown until Gitple answers again", () => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    const message = unauthorizedMessage("h-app");
    noteResolution({ unauthorized: message, calls: 1, pending: [{ kind: "sessionTags", id: "t" }] }, "h-app");
    noteResolution({ unauthorized: message, calls: 1, pending: [{ kind: "sessionTags", id: "t" }] }, "h-app");
    expect(errors).toHaveBeenCalledTimes(1);
    expect(JSON.parse(String(errors.mock.calls[0]?.[0]))).toEqual({
      level: "error",
      msg: "gitple open api unauthorized",
      appCode: "h-app",
      problem: message,
    });
    expect(gitpleHealth(true, true)).toEqual({ configured: true, secret: { set: true }, problem: message });
    noteResolution({ unauthorized: null, calls: 0, pending: [] }, "h-app"); // warm caches say nothing
    expect(gitpleHealth(true, true).problem).toBe(message);
    noteResolution({ unauthorized: null, calls: 2, pending: [] }, "h-app");
    expect(gitpleHealth(true, true)).toEqual({ configured: true, secret: { set: true } });
    errors.mockRestore();
  });
});
