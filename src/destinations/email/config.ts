/**
 * Email destination config: who sends, who receives, and through which
 * provider: Cloudflare's `send_email` Worker binding (default) or Resend's
 * HTTP API (its key in a Worker secret).
 *
 * The schema checks each field on its own; `emailProblems` adds the rules
 * that tie fields together (a Resend key only with Resend, a binding only
 * with Cloudflare), read from the raw table like the routing validator's
 * other cross checks (src/config/check.ts runs it as the kind's `problems`).
 */
import * as v from "valibot";
import { type Template, templateSchema, transcriptSchema } from "../../config/shared.ts";
import { isEmailAddress, parseMailbox } from "./address.ts";

export const EMAIL_PROVIDERS = ["cloudflare", "resend"] as const;
export type EmailProvider = (typeof EMAIL_PROVIDERS)[number];

/** The binding name used when `binding` is not set. */
export const DEFAULT_EMAIL_BINDING = "EMAIL";

/** Resend's send endpoint (https://resend.com/docs/api-reference/emails/send-email). */
export const RESEND_ENDPOINT = "https://api.resend.com/emails";

/** Recipients per destination: both Cloudflare Email Service and Resend take at most 50 per email. */
export const MAX_RECIPIENTS = 50;

export interface EmailDestinationConfig {
  readonly type: "email";
  readonly provider: EmailProvider;
  /** `addr` or `Name <addr>`. With Cloudflare, the address must be on a domain the account sends from. */
  readonly from: string;
  /** Every address receives the mail (one send per address through the binding, one request with Resend). */
  readonly to: readonly string[];
  /** Subject template; wins over a template's `title`. */
  readonly subject?: string;
  /** Name of the `[[send_email]]` binding (Cloudflare only). */
  readonly binding: string;
  /** Name of the Worker secret holding the Resend API key (Resend only, required there). */
  readonly api_key_secret?: string;
  /** Resend-compatible endpoint; default Resend's own (Resend only). */
  readonly endpoint?: string;
  /** Show the customer's email and phone; off by default (personal data). */
  readonly include_contact: boolean;
  readonly template?: Template;
  /** Link template to the session in Gitple's console, shown as a link. */
  readonly session_url?: string;
  /** On a session close, the last N messages of the conversation (1 .. 200), whole in both parts; absent or 0: none. */
  readonly transcript?: number;
}

const BINDING_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

const address = v.pipe(
  v.string(),
  v.check(
    isEmailAddress,
    (issue) => `invalid email address ${JSON.stringify(issue.input)} (expected name@example.com)`,
  ),
);

function hasDuplicates(list: readonly string[]): boolean {
  return new Set(list.map((a) => a.toLowerCase())).size !== list.length;
}

function isHttpUrl(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const { protocol } = new URL(value);
  return protocol === "https:" || protocol === "http:";
}

/** Email's fields; every field ending in `_secret` names a Worker secret. */
export const emailSchema = v.strictObject({
  type: v.literal("email"),
  provider: v.optional(
    v.picklist(EMAIL_PROVIDERS, (issue) => `unknown provider ${issue.received} (expected one of: cloudflare, resend)`),
    "cloudflare",
  ),
  from: v.pipe(
    v.string(),
    v.check(
      (value) => parseMailbox(value) !== undefined,
      (issue) =>
        `invalid sender ${JSON.stringify(issue.input)} (expected name@example.com or "Name <name@example.com>")`,
    ),
  ),
  to: v.pipe(
    v.array(address),
    v.minLength(1),
    v.maxLength(MAX_RECIPIENTS, `must list at most ${MAX_RECIPIENTS} addresses`),
    v.check((list) => !hasDuplicates(list), "lists an address twice"),
  ),
  subject: v.optional(v.string()),
  binding: v.optional(
    v.pipe(
      v.string(),
      v.regex(
        BINDING_NAME,
        (issue) => `invalid binding name ${JSON.stringify(issue.input)} (use letters, digits and "_")`,
      ),
    ),
    DEFAULT_EMAIL_BINDING,
  ),
  api_key_secret: v.optional(v.string()),
  endpoint: v.optional(v.pipe(v.string(), v.check(isHttpUrl, "must be an http(s) URL"))),
  include_contact: v.optional(v.boolean(), false),
  session_url: v.optional(v.string()),
  template: v.optional(templateSchema),
  transcript: v.optional(transcriptSchema),
});

/**
 * The rules between an email destination's fields, on the raw table; each
 * problem as `<at>.<field>: message`. Nothing when `provider` itself is wrong
 * (the schema reports that).
 *
 * @example
 * emailProblems("destinations.mail", { type: "email", provider: "resend", from: "a@b.c", to: ["d@e.f"] })
 * // → ['destinations.mail.api_key_secret: is required when provider = "resend"']
 */
export function emailProblems(at: string, raw: Readonly<Record<string, unknown>>): string[] {
  const provider = raw.provider ?? "cloudflare";
  const problems: string[] = [];
  if (provider === "resend") {
    if (raw.api_key_secret === undefined) problems.push(`${at}.api_key_secret: is required when provider = "resend"`);
    if (raw.binding !== undefined) problems.push(`${at}.binding: only applies when provider = "cloudflare"`);
  } else if (provider === "cloudflare") {
    for (const field of ["api_key_secret", "endpoint"]) {
      if (raw[field] !== undefined) problems.push(`${at}.${field}: only applies when provider = "resend"`);
    }
  }
  return problems;
}
