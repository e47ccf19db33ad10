/** @jsxImportSource hono/jsx */
/**
 * Status: what `GET /health` says (version, signing secret, config valid),
 * every config problem with its path, which named secrets are set (names
 * only), and the Gitple Open API and Slack app settings where configured.
 */
import type { ConsoleContext } from "../context.ts";
import { Frame, Notice } from "../layout.tsx";
import { gitpleSettings, namedSecrets, routing, slackApps, timezoneOf } from "../settings.ts";

/** The public fields of `GET /health`'s answer the page shows. */
export interface Health {
  status?: string;
  version?: string;
  secret?: { set?: boolean };
  config?: { valid?: boolean; rules?: number; destinations?: number; problems?: number };
  gitple?: { configured?: boolean; secret?: { set?: boolean }; problem?: string };
}

const YesNo = (props: { value: boolean | undefined; yes?: string; no?: string }) =>
  props.value ? <span class="yes">{props.yes ?? "yes"}</span> : <span class="no">{props.no ?? "no"}</span>;

function Settings(props: { rows: [string, string][] }) {
  return (
    <dl class="kv">
      {props.rows.map(([k, v]) => (
        <>
          <dt>{k}</dt>
          <dd>
            <code>{v}</code>
          </dd>
        </>
      ))}
    </dl>
  );
}

export function statusPage(c: ConsoleContext, health: Health, notice?: string): Response | Promise<Response> {
  const env = c.env;
  const config = routing(env);
  const secrets = namedSecrets(env);
  const gitple = gitpleSettings(env);
  const apps = slackApps(env);
  return c.html(
    <Frame title="Status" nonce={c.var.nonce} csrf={c.var.csrf} active="Status">
      {notice && <Notice kind="ok">{notice}</Notice>}
      <dl class="kv card">
        <dt>Status</dt>
        <dd>
          <YesNo value={health.status === "ok"} yes={health.status ?? ""} no={health.status ?? "unknown"} />
        </dd>
        <dt>Version</dt>
        <dd>{health.version ?? "unknown"}</dd>
        <dt>Config</dt>
        <dd>
          {config.ok ? (
            <span class="yes">
              valid: {config.value.rules.length} rules, {Object.keys(config.value.destinations).length} destinations
            </span>
          ) : (
            <span class="no">invalid: {config.error.length} problems</span>
          )}
        </dd>
        <dt>Signing secret</dt>
        <dd>
          <YesNo
            value={health.secret?.set}
            yes="GITPLE_SECRET is set"
            no="GITPLE_SECRET is not set: nothing is accepted"
          />
        </dd>
        <dt>Timezone</dt>
        <dd>{timezoneOf(env)}</dd>
      </dl>
      {!config.ok && (
        <>
          <h2>Config problems</h2>
          <ul>
            {config.error.map((p) => (
              <li>
                <code>{p}</code>
              </li>
            ))}
          </ul>
        </>
      )}
      <h2>Named secrets</h2>
      <table>
        <thead>
          <tr>
            <th>Secret</th>
            <th>Used by</th>
            <th>Set</th>
          </tr>
        </thead>
        <tbody>
          {secrets.map((s) => (
            <tr>
              <td>
                <code>{s.name}</code>
              </td>
              <td>{s.usedBy}</td>
              <td>
                <YesNo value={s.set} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {gitple && (
        <>
          <h2>Gitple Open API</h2>
          <div class="card">
            <Settings rows={gitple} />
            {health.gitple?.problem && <Notice kind="error">{health.gitple.problem}</Notice>}
          </div>
        </>
      )}
      {apps.length > 0 && (
        <>
          <h2>Slack app destinations</h2>
          {apps.map((a) => (
            <div class="card">
              <strong>{a.destination}</strong>
              <Settings rows={a.settings} />
            </div>
          ))}
        </>
      )}
    </Frame>,
  );
}
