/**
 * The console's request context: the Worker's bindings plus what the guard
 * (guard.ts) sets before any page runs.
 */
import type { Context } from "hono";
import type { Session } from "./session.ts";

export interface ConsoleVariables {
  /** The CSP nonce of this answer's `<style>`. */
  nonce: string;
  /** `ADMIN_TOKEN` (the console is off without it). Never rendered. */
  token: string;
  /** The signed-in session, or null. */
  session: Session | null;
  /** The session's CSRF token, for every form of the page ("" when signed out). */
  csrf: string;
  /** A POST's form fields, once guard.ts has checked its same-origin proofs. */
  form: Record<string, string>;
}

export type ConsoleEnv = { Bindings: Env; Variables: ConsoleVariables };
export type ConsoleContext = Context<ConsoleEnv>;
