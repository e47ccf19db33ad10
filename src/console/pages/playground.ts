/**
 * Playground: paste an event's JSON; `POST /admin/explain?render=1` says
 * which rules matched, the first failed condition of each other rule (with
 * what that condition asked for, as `routes explain` shows it), and what each
 * destination would receive: Slack drawn as Slack shows it, email as subject
 * and text, JSON for the rest. Nothing is sent or remembered.
 */
import { html } from "hono/html";
import { conditions } from "../../routing/describe-conditions.ts";
import type { Rule } from "../../routing/types.ts";
import { adminApi, apiError } from "../api.ts";
import type { ConsoleContext } from "../context.ts";
import { Frame, Notice, row } from "../layout.ts";
import { routing } from "../settings.ts";
import { SlackMessage } from "../slack-preview.ts";

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

/**
 * A session_state_close as Gitple sends it: ids, no person's name. They are the demo workspace's
 * (scripts/lib/gitple-demo-data.ts DEMO_IDS), so under `npm start` with [vars.ROUTING.gitple] the
 * Open API stand-in names them: VIP and 배송지연, 배송 › 분실 › 택배 분실, 프리미엄 회원, 박지훈, 김민준.
 */
const SAMPLE = JSON.stringify(
  {
    triggerId: "5cc14d2c415b8906cfa1abe1",
    ctime: "2019-04-29T09:13:00.001Z",
    appCode: "acme-shop",
    type: "session_state_close",
    session: {
      id: "5cc14b61415b8906cfa1abd6",
      openTime: "2019-04-29T09:00:00.000Z",
      inprogressTime: "2019-04-29T09:04:00.000Z",
      closeTime: "2019-04-29T09:13:00.000Z",
      reason: "userCancel",
      userId: "5cc6b9000000000000000001",
      userGroups: ["5cc7e3000000000000000001"],
      assigneeType: "agent",
      assigneeId: "5cc6a5000000000000000001",
      categories: ["5cc7c2000000000000000003"],
      tags: ["5cc7a1000000000000000001", "5cc7a1000000000000000003"],
      note: "택배 분실로 환불 요청. 고객님께 다시 연락드리기로 함.",
      meta: [],
    },
  },
  null,
  2,
);

function preview(m: Message) {
  if (m.type === "slack") return SlackMessage({ body: m.body });
  if (m.type === "email" && typeof m.body === "object" && m.body !== null) {
    const mail = m.body as { from?: string; to?: string[]; subject?: string; text?: string };
    return html`<div class="card">
      <dl class="kv">
        ${row("From", mail.from ?? "")}
        ${row("To", (mail.to ?? []).join(", "))}
        ${row("Subject", html`<strong>${mail.subject ?? ""}</strong>`)}
      </dl>
      <pre>${mail.text ?? ""}</pre>
    </div>`;
  }
  return html`<pre>${typeof m.body === "string" ? m.body : JSON.stringify(m.body, null, 2)}</pre>`;
}

/** One rule's line: matched (and where to), or the first condition that failed, with what the rule asks for. */
function verdict(v: Verdict, rule: Rule | undefined) {
  const name = JSON.stringify(v.name);
  if (v.matched) {
    const stop = rule?.stop ? " (stop: later rules are not evaluated)" : "";
    return html`<li class="matched"><span class="yes">✓ matched</span> ${name} → ${rule?.destinations.join(", ") ?? ""}${stop}</li>`;
  }
  const asked =
    rule && !v.failed?.startsWith("not evaluated") && html`<span class="muted"> (rule: ${conditions(rule)})</span>`;
  return html`<li class="unmatched"><span class="no">✗</span> ${name}: failed <code>${v.failed ?? ""}</code>${asked}</li>`;
}

function results(c: ConsoleContext, r: Explained) {
  const config = routing(c.env);
  const ruleByName = new Map(config.ok ? config.value.rules.map((rule) => [rule.name, rule]) : []);
  return html`<h2>Rules, in evaluation order</h2>
    <ol class="verdicts">
      ${r.rules.map((v) => verdict(v, ruleByName.get(v.name)))}
    </ol>
    <h2>Destinations</h2>
    <p>${
      r.destinations.length === 0
        ? "None: no rule matched and there is no fallback."
        : `${r.destinations.join(", ")}${r.fallback ? " (the fallback: no rule matched)" : ""}`
    }</p>
    ${r.messages.map(
      (m) =>
        html`<section>
          <h2>Message to ${m.destination} <span class="muted">(${m.type})</span></h2>
          ${preview(m)}
        </section>`,
    )}`;
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
    Frame(
      { title: "Playground", nonce: c.var.nonce, csrf: c.var.csrf, active: "Playground" },
      html`<p class="muted">Paste an event as Gitple sends it: where it would go and what each destination would receive. Nothing is sent.</p>
      <form method="post" action="/admin/ui/playground">
        <input type="hidden" name="csrf" value="${c.var.csrf}">
        <textarea name="event" aria-label="Event JSON" spellcheck="false">${posted ?? SAMPLE}</textarea>
        <p><button type="submit" id="explain">Explain</button></p>
      </form>
      ${error && Notice("error", error)}
      ${result && results(c, result)}`,
    ),
    error ? 400 : 200,
  );
}
