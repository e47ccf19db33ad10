/**
 * The operator console: HTML pages behind the admin token, mounted at /admin
 * next to the JSON admin API (src/http/app.ts mounts this first). It answers
 * only `GET|POST /admin` and `/admin/ui/*`; every other /admin path falls
 * through to the JSON API, whose answers do not change. The console reads
 * its data through that API in-process (api.ts) and never lets the session
 * cookie authorize a JSON call.
 *
 *   GET  /admin                              Status (or the sign-in page)
 *   GET  /admin/ui/rules                     Rules
 *   GET  /admin/ui/deliveries?triggerId=     Deliveries
 *   GET  /admin/ui/dead-letters[?destination=&cursor=]   Dead letters
 *   GET  /admin/ui/dead-letters/:id          one dead letter
 *   POST /admin/ui/dead-letters/:id/replay | /delete, /admin/ui/dead-letters/replay-all
 *   GET|POST /admin/ui/playground            Playground
 *   POST /admin/ui/sign-in, /admin/ui/sign-out
 */
import type { Context, Handler } from "hono";
import { Hono } from "hono/tiny";
import { errorText, log } from "../log/log.ts";
import type { ConsoleContext, ConsoleEnv } from "./context.ts";
import { deleteOne, replayAllRoute, replayOne } from "./dead-letter-actions.ts";
import { consoleGate, formPost, signedIn } from "./guard.ts";
import { bare } from "./layout.ts";
import { deadLetterPage } from "./pages/dead-letter.ts";
import { deadLettersPage } from "./pages/dead-letters.ts";
import { deliveriesPage } from "./pages/deliveries.ts";
import { playgroundPage } from "./pages/playground.ts";
import { rulesPage } from "./pages/rules.ts";
import { type Health, statusPage } from "./pages/status.ts";
import { signIn, signInPage, signOut } from "./sign-in.ts";

export interface ConsoleOptions {
  /** `GET /health`'s handler (src/http/health.ts), whose answer the Status page shows. */
  readonly health: (c: Context<{ Bindings: Env }>) => Response | Promise<Response>;
}

/**
 * @example
 * app.route("/admin", createConsoleApp({ health: getHealth }));
 * app.route("/admin", createAdminApp());
 */
export function createConsoleApp(options: ConsoleOptions): Hono<ConsoleEnv> {
  const probe = new Hono<{ Bindings: Env }>().get("/health", options.health);
  const status = async (c: ConsoleContext) => {
    if (c.var.session === null) return signInPage(c);
    const health = (await (await probe.request("/health", {}, c.env)).json()) as Health;
    return statusPage(c, health);
  };
  const ui = new Hono<ConsoleEnv>();
  ui.use("/", consoleGate);
  ui.use("/ui/*", consoleGate);
  ui.get("/", status);
  ui.post("/ui/sign-in", formPost(true), signIn as Handler<ConsoleEnv>);
  ui.post("/ui/sign-out", formPost(), signOut);
  ui.get("/ui/rules", signedIn, rulesPage);
  ui.get("/ui/deliveries", signedIn, deliveriesPage);
  ui.get("/ui/dead-letters", signedIn, (c) => deadLettersPage(c));
  ui.post("/ui/dead-letters/replay-all", formPost(), replayAllRoute);
  ui.get("/ui/dead-letters/:id", signedIn, (c) => deadLetterPage(c));
  ui.post("/ui/dead-letters/:id/replay", formPost(), replayOne);
  ui.post("/ui/dead-letters/:id/delete", formPost(), deleteOne);
  ui.get("/ui/playground", signedIn, playgroundPage);
  ui.post("/ui/playground", formPost(), playgroundPage);
  ui.all("/ui/*", (c) => bare(c, 404, "No such console page."));
  ui.onError((e, c) => {
    log("error", "console request failed", { path: c.req.path, outcome: "error", error: errorText(e) });
    return bare(c, 503, "Temporarily unavailable, retry later.");
  });
  return ui;
}
