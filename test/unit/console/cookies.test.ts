import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { readCookie, writeCookie } from "../../../src/console/cookies.ts";

const app = new Hono();
app.get("/read/:name", (c) => c.text(readCookie(c, c.req.param("name")) ?? "(none)"));
app.get("/write", (c) => {
  writeCookie(c, "relay_console", "abc.123.def", 43_200);
  writeCookie(c, "relay_console_sign_in", "", 0);
  return c.redirect("/admin", 303);
});

const read = async (name: string, cookie?: string) =>
  (await app.request(`/read/${name}`, cookie === undefined ? {} : { headers: { cookie } })).text();

describe("the console's cookies", () => {
  it("reads a cookie by its exact name, not by a prefix of another's", async () => {
    const header = "relay_console_sign_in=nonce1; other=x;relay_console=abc.123.def";
    expect(await read("relay_console", header)).toBe("abc.123.def");
    expect(await read("relay_console_sign_in", header)).toBe("nonce1");
    expect(await read("relay_console", "relay_console_sign_in=nonce1")).toBe("(none)");
    expect(await read("relay_console")).toBe("(none)");
    expect(await read("relay_console", "=x; relay_console")).toBe("(none)");
  });

  it("writes each with every attribute, one Set-Cookie each, on a redirect too", async () => {
    const r = await app.request("/write");
    expect(r.status).toBe(303);
    expect(r.headers.getSetCookie()).toEqual([
      "relay_console=abc.123.def; Max-Age=43200; Path=/admin; HttpOnly; Secure; SameSite=Strict",
      "relay_console_sign_in=; Max-Age=0; Path=/admin; HttpOnly; Secure; SameSite=Strict",
    ]);
  });
});
