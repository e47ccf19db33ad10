/** @jsxImportSource hono/jsx */
/**
 * Playground: paste an event's JSON; `POST /admin/explain?render=1` says
 * which rules matched, the first failed condition of each other rule (with
 * what that condition asked for, as `routes explain` shows it), and what each
 * destination would receive: Slack drawn as Slack shows it, email as subject
 * and text, JSON for the rest. Nothing is sent or remembered.
 */
import { adminApi, apiError } from "../api.ts";
import type { ConsoleContext } from "../context.ts";
import { Frame, Notice } from "../layout.tsx";
import { conditions } from "../rules-tree.ts";
import { routing } from "../settings.ts";
import { SlackMessage } from "../slack-preview.tsx";

interface Verdict {
  name: string;
  matched: boolean;
  failed?: string;
}
interface Message {
  destination: string;
  type: string;
  contentType: string;
  body: unknown;
}
interface Explained {
  destinations: string[];
  fallback: boolean;
  rules: Verdict[];
  messages: Message[];
}

const SAMPLE = JSON.stringify(
  {
    triggerId: "playground-1",
    ctime: "2019-04-29T09:05:56.001Z",
    appCode: "acme-shop",
    type: "session_state_close",
    session: {
      id: "5cc6b9a2b8e4f70fbb1d4a8c",
      openTime: "2019-04-29T08:57:15.878Z",
      closeTime: "2019-04-29T09:05:56.000Z",
      reason: "userCancel",
      tags: ["vip"],
      categories: ["billing"],
      note: "택배 분실로 환불 요청. 고객님께 다시 연락드리기로 함.",
    },
  },
  null,
  2,
);

function Preview(props: { m: Message }) {
  const { m } = props;
  if (m.type === "slack") return <SlackMessage body={m.body} />;
  if (m.type === "email" && typeof m.body === "object" && m.body !== null) {
    const mail = m.body as { from?: string; to?: string[]; subject?: string; text?: string };
    return (
      <div class="card">
        <dl class="kv">
          <dt>From</dt>
          <dd>{mail.from ?? ""}</dd>
          <dt>To</dt>
          <dd>{(mail.to ?? []).join(", ")}</dd>
          <dt>Subject</dt>
          <dd>
            <strong>{mail.subject ?? ""}</strong>
          </dd>
        </dl>
        <pre>{mail.text ?? ""}</pre>
      </div>
    );
  }
  return <pre>{typeof m.body === "string" ? m.body : JSON.stringify(m.body, null, 2)}</pre>;
}

function Results(props: { c: ConsoleContext; r: Explained }) {
  const config = routing(props.c.env);
  const ruleByName = new Map(config.ok ? config.value.rules.map((r) => [r.name, r]) : []);
  const { r } = props;
  return (
    <>
      <h2>Rules, in evaluation order</h2>
      <ol class="verdicts">
        {r.rules.map((v) => {
          const rule = ruleByName.get(v.name);
          return v.matched ? (
            <li class="matched">
              <span class="yes">✓ matched</span> {JSON.stringify(v.name)} → {rule?.destinations.join(", ") ?? ""}
              {rule?.stop ? " (stop: later rules are not evaluated)" : ""}
            </li>
          ) : (
            <li class="unmatched">
              <span class="no">✗</span> {JSON.stringify(v.name)}: failed <code>{v.failed ?? ""}</code>
              {rule && !v.failed?.startsWith("not evaluated") && <span class="muted"> (rule: {conditions(rule)})</span>}
            </li>
          );
        })}
      </ol>
      <h2>Destinations</h2>
      <p>
        {r.destinations.length === 0
          ? "None: no rule matched and there is no fallback."
          : `${r.destinations.join(", ")}${r.fallback ? " (the fallback: no rule matched)" : ""}`}
      </p>
      {r.messages.map((m) => (
        <section>
          <h2>
            Message to {m.destination} <span class="muted">({m.type})</span>
          </h2>
          <Preview m={m} />
        </section>
      ))}
    </>
  );
}

/** `GET /admin/ui/playground` (the form), `POST` (the form and its answer). */
export async function playgroundPage(c: ConsoleContext): Promise<Response> {
  const posted = c.req.method === "POST" ? (c.var.form.event ?? "") : undefined;
  let result: Explained | undefined;
  let error: string | undefined;
  if (posted !== undefined) {
    const answer = await adminApi<Explained>(c.env, c.var.token, "/explain?render=1", { method: "POST", body: posted });
    if (answer.status === 200) result = answer.body;
    else error = apiError(answer);
  }
  return c.html(
    <Frame title="Playground" nonce={c.var.nonce} csrf={c.var.csrf} active="Playground">
      <p class="muted">
        Paste an event as Gitple sends it: where it would go and what each destination would receive. Nothing is sent.
      </p>
      <form method="post" action="/admin/ui/playground">
        <input type="hidden" name="csrf" value={c.var.csrf} />
        <textarea name="event" aria-label="Event JSON" spellcheck={false}>
          {posted ?? SAMPLE}
        </textarea>
        <p>
          <button type="submit" id="explain">
            Explain
          </button>
        </p>
      </form>
      {error && <Notice kind="error">{error}</Notice>}
      {result && <Results c={c} r={result} />}
    </Frame>,
    error ? 400 : 200,
  );
}
