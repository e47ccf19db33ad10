/** Rules: the routing tree in evaluation order, as `npm run routes -- tree` shows it. */
import { html } from "hono/html";
import { formatTree } from "../../routing/tree.ts";
import type { ConsoleContext } from "../context.ts";
import { Frame, Notice } from "../layout.ts";
import { routing } from "../settings.ts";

export function rulesPage(c: ConsoleContext): Response | Promise<Response> {
  const config = routing(c.env);
  return c.html(
    Frame(
      { title: "Rules", nonce: c.var.nonce, csrf: c.var.csrf, active: "Rules" },
      config.ok
        ? html`<pre class="tree">${formatTree(config.value, "deployed ROUTING")}</pre>`
        : Notice(
            "error",
            html`The routing config is invalid (${config.error.length} problems): see <a href="/admin">Status</a>.`,
          ),
    ),
  );
}
