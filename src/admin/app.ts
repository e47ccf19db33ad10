/**
 * The admin API, mounted at /admin by src/http/app.ts. Every route sits
 * behind src/admin/auth.ts (404 when off, 401 without the token). A storage
 * failure is a 503 (retry later); bad input never gets this far.
 */
import { Hono } from "hono/tiny";
import { errorText, log } from "../log/log.ts";
import { requireAdmin } from "./auth.ts";
import { deleteRoute, getRoute, listRoute, replayRoute } from "./dead-letters.ts";
import { deliveriesRoute } from "./deliveries.ts";
import { previewRoute, sendRoute } from "./digests.ts";
import { explainRoute } from "./explain.ts";

type Admin = Hono<{ Bindings: Env }>;

function allow(app: Admin, path: string, methods: string): void {
  app.all(path, (c) => c.json({ error: `method not allowed: use ${methods}` }, 405, { Allow: methods }));
}

/**
 * @example
 * app.route("/admin", createAdminApp());
 */
export function createAdminApp(): Admin {
  const admin: Admin = new Hono<{ Bindings: Env }>();
  admin.use("*", requireAdmin);
  admin.post("/explain", explainRoute);
  allow(admin, "/explain", "POST");
  admin.get("/dead-letters", listRoute);
  allow(admin, "/dead-letters", "GET");
  admin.get("/dead-letters/:id", getRoute);
  admin.delete("/dead-letters/:id", deleteRoute);
  allow(admin, "/dead-letters/:id", "GET, DELETE");
  admin.post("/dead-letters/:id/replay", replayRoute);
  allow(admin, "/dead-letters/:id/replay", "POST");
  admin.get("/deliveries", deliveriesRoute);
  allow(admin, "/deliveries", "GET");
  admin.get("/digests/:name/preview", previewRoute);
  allow(admin, "/digests/:name/preview", "GET");
  admin.post("/digests/:name/send", sendRoute);
  allow(admin, "/digests/:name/send", "POST");
  admin.onError((e, c) => {
    log("error", "admin request failed", { path: c.req.path, outcome: "error", error: errorText(e) });
    return c.json({ error: "temporarily unavailable, retry later" }, 503);
  });
  return admin;
}
