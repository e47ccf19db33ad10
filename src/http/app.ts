/** The HTTP surface: routes and the last-resort error answer. */
import { Hono } from "hono/tiny";
import { createAdminApp } from "../admin/app.ts";
import { createConsoleApp } from "../console/app.ts";
import { errorText, log } from "../log/log.ts";
import { eventsMethodNotAllowed, postEvents } from "./events.ts";
import { getHealth } from "./health.ts";

export function createApp(): Hono<{ Bindings: Env }> {
  const app = new Hono<{ Bindings: Env }>();
  app.post("/events", postEvents);
  app.all("/events", eventsMethodNotAllowed);
  app.get("/health", getHealth);
  app.route("/admin", createConsoleApp({ health: getHealth }));
  app.route("/admin", createAdminApp());
  app.notFound((c) => c.json({ error: "not found" }, 404));
  app.onError((e, c) => {
    log("error", "unhandled error", { path: c.req.path, error: errorText(e) });
    return c.json({ error: "internal error" }, 500);
  });
  return app;
}
