/**
 * Status: what `GET /health` says (version, signing secret, config valid),
 * every config problem with its path, which named secrets are set (names
 * only), and the Gitple Open API and Slack app settings where configured.
 */
import { html } from "hono/html";
import type { ConsoleContext } from "../context.ts";
import { Frame, Notice, row } from "../layout.ts";
import { gitpleSettings, namedSecrets, routing, slackApps, timezoneOf } from "../settings.ts";

/** The public fields of `GET /health`'s answer the page shows. */
export interface Health {
  status?: string;
  version?: string;
  secret?: { set?: boolean };
  config?: { valid?: boolean; rules?: number; destinations?: number; problems?: number };
  gitple?: { configured?: boolean; secret?: { set?: boolean }; problem?: string };
}

const yesNo = (value: boolean | undefined, yes = "yes", no = "no") =>
  value ? html`<span class="yes">${yes}</span>` : html`<span class="no">${no}</span>`;

const settings = (rows: [string, string][]) =>
  html`<dl class="kv">${rows.map(([k, v]) => row(k, html`<code>${v}</code>`))}</dl>`;

export function statusPage(c: ConsoleContext, health: Health, notice?: string): Response | Promise<Response> {
  const env = c.env;
  const config = routing(env);
  const secrets = namedSecrets(env);
  const gitple = gitpleSettings(env);
  const apps = slackApps(env);
  return c.html(
    Frame(
      { title: "Status", nonce: c.var.nonce, csrf: c.var.csrf, active: "Status" },
      html`${notice && Notice("ok", notice)}
      <dl class="kv card">
        ${row("Status", yesNo(health.status === "ok", health.status ?? "", health.status ?? "unknown"))}
        ${row("Version", health.version ?? "unknown")}
        ${row(
          "Config",
          config.ok
            ? html`<span class="yes">valid: ${config.value.rules.length} rules, ${Object.keys(config.value.destinations).length} destinations</span>`
            : html`<span class="no">invalid: ${config.error.length} problems</span>`,
        )}
        ${row(
          "Signing secret",
          yesNo(health.secret?.set, "GITPLE_SECRET is set", "GITPLE_SECRET is not set: nothing is accepted"),
        )}
        ${row("Timezone", timezoneOf(env))}
      </dl>
      ${
        !config.ok &&
        html`<h2>Config problems</h2>
          <ul>
            ${config.error.map((p) => html`<li><code>${p}</code></li>`)}
          </ul>`
      }
      <h2>Named secrets</h2>
      <table>
        <thead>
          <tr><th>Secret</th><th>Used by</th><th>Set</th></tr>
        </thead>
        <tbody>
          ${secrets.map((s) => html`<tr><td><code>${s.name}</code></td><td>${s.usedBy}</td><td>${yesNo(s.set)}</td></tr>`)}
        </tbody>
      </table>
      ${
        gitple &&
        html`<h2>Gitple Open API</h2>
          <div class="card">
            ${settings(gitple)}
            ${health.gitple?.problem && Notice("error", health.gitple.problem)}
          </div>`
      }
      ${
        apps.length > 0 &&
        html`<h2>Slack app destinations</h2>
          ${apps.map((a) => html`<div class="card"><strong>${a.destination}</strong>${settings(a.settings)}</div>`)}`
      }`,
    ),
  );
}
