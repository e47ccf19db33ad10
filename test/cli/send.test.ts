// `npm run send` through its real entry point, run in a folder with a
// .dev.vars file: the secret it signs with is read as wrangler reads .dev.vars
// (dotenv), whatever the spacing, quoting or line endings.
import { afterAll, describe, expect, it } from "vitest";
import { removeTempFolders, send, tempFolder } from "./run.ts";

afterAll(removeTempFolders);

describe("npm run send: GITPLE_SECRET from .dev.vars", () => {
  it.each([
    ["plain", "GITPLE_SECRET=s3cret\n", "s3cret"],
    ["spaces around =", "GITPLE_SECRET = s3cret\n", "s3cret"],
    ["double quotes", 'GITPLE_SECRET="two words"\n', "two words"],
    ["single quotes", "GITPLE_SECRET='two words'\n", "two words"],
    ["CRLF line endings, not the first line", "OTHER=x\r\nGITPLE_SECRET=s3cret\r\nLAST=y\r\n", "s3cret"],
    ["a comment and export", "# local only\nexport GITPLE_SECRET=s3cret # the demo's\n", "s3cret"],
    ["empty: the demo secret", "GITPLE_SECRET=\n", "demo-secret"],
  ])("%s", async (_, devVars, secret) => {
    const r = await send(tempFolder({ ".dev.vars": devVars }), secret, "session_state_close");
    expect(r.stderr).toBe("");
    expect(r.requests).toBe(1);
    expect(r.signedWith).toBe(true);
    expect(r.stdout).toMatch(/^session_state_close demo-\S+ → HTTP 202 /);
    expect(r.status).toBe(0);
  });

  it("without .dev.vars, signs with the demo secret; --secret wins over both", async () => {
    expect((await send(tempFolder({}), "demo-secret")).signedWith).toBe(true);
    const dir = tempFolder({ ".dev.vars": "GITPLE_SECRET=from-file\n" });
    expect((await send(dir, "from-flag", "--secret", "from-flag")).signedWith).toBe(true);
  });
});

describe("npm run send: a sample event happens now", () => {
  it("moves the sample's times so its latest is now, keeping the gaps between them", async () => {
    const before = Date.now();
    const r = await send(tempFolder({}), "demo-secret", "session_state_close");
    const event = r.body as { ctime: string; session: Record<string, string> };
    const open = Date.parse(event.session.openTime ?? "");
    const assigned = Date.parse(event.session.inprogressTime ?? "");
    const closed = Date.parse(event.session.closeTime ?? "");
    const latest = Math.max(Date.parse(event.ctime), closed);
    expect(latest).toBeGreaterThanOrEqual(before - 1000);
    expect(latest).toBeLessThanOrEqual(Date.now());
    // The sample's gaps: open 08:57:15.878, assigned 08:57:15.943, closed 09:05:56.000.
    expect(assigned - open).toBe(65);
    expect(closed - open).toBe(520_122);
    expect(r.signedWith).toBe(true);
  });
});
