/**
 * The email destination kind: config (config.ts), the message (message.ts,
 * its `render`) and the sender (send.ts, its `deliver`).
 *
 * Trade-off: the sender is imported when the first mail is sent, not when
 * the kind loads: it needs `cloudflare:email`, which only workerd has,
 * while the CLIs (Node) load every kind through the registry to validate and
 * render. The Worker
 * bundle inlines it either way.
 */
import { secretNamesOf } from "../../config/shared.ts";
import type { DestinationKind } from "../contract.ts";
import { type EmailDestinationConfig, emailProblems, emailSchema } from "./config.ts";
import { renderEmail } from "./message.ts";

export const emailKind: DestinationKind<EmailDestinationConfig> = {
  type: "email",
  schema: emailSchema,
  problems: emailProblems,
  bindings: (dest) =>
    dest.provider === "cloudflare" ? [{ field: "binding", type: "send_email", name: dest.binding }] : [],
  secrets: secretNamesOf,
  // One send per recipient through the binding (cloudflare.ts); Resend takes every recipient in one request.
  // The transcript's fetch, when the destination wants one, is one more request within the attempt.
  sendsPerAttempt: (dest) =>
    (dest.provider === "cloudflare" ? Math.max(1, dest.to.length) : 1) + ((dest.transcript ?? 0) > 0 ? 1 : 0),
  render: renderEmail,
  deliver: async (dest, ctx) => (await import("./send.ts")).sendEmail(dest, ctx),
};
