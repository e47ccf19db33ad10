// `npm run deps` (.dependency-cruiser.cjs) fails on a deliberate import cycle and on broken layer rules:
// it runs on a tiny fixture tree (test/cli/fixtures/deps/src) with a cycle in routing, config importing
// routing, admin importing http, and holds (a bottom layer, below delivery) importing delivery.
import { describe, expect, it } from "vitest";
import { depcruise } from "../support/node/depcruise.ts";

describe("npm run deps: the import rules", () => {
  it("fails on a cycle and on layer breaks, naming each rule", () => {
    const r = depcruise("test/cli/fixtures/deps");
    expect(r.status).not.toBe(0);
    expect(r.stdout).toMatch(/error no-circular: src\/routing\/(a|b)\.ts →/);
    expect(r.stdout).toContain("error bottom-not-up: src/config/c.ts → src/routing/a.ts");
    expect(r.stdout).toContain("error admin-not-http: src/admin/d.ts → src/http/h.ts");
    expect(r.stdout).toContain("error bottom-not-up: src/holds/e.ts → src/delivery/x.ts");
    expect(r.stdout).toContain("4 dependency violations (4 errors, 0 warnings)");
  });

  it("passes a tree that keeps the rules", () => {
    const r = depcruise("test/cli/fixtures/deps", "src/http");
    expect(r.stdout).toContain("no dependency violations found");
    expect(r.status).toBe(0);
  });
});
