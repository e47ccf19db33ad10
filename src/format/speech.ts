/**
 * What a message may say beyond the event itself: the names its ids resolve to (issue 10,
 * src/gitple/resolve.ts), the zone its times are shown in (`[vars.ROUTING] timezone`), and the
 * session's transcript on close. Every formatter takes one `Speech`; without one (or with an empty
 * one) messages read exactly as before: ids as they come, times in UTC as before.
 *
 * Trade-off: the transcript travels here as a finished fetch (or its absence) because rendering is
 * synchronous and network-free: `deliver` fetches, then renders with it, so what is shown is what is
 * sent; a preview (`routes explain --render`, the console) shows a placeholder line instead.
 */
import type { Resolution } from "../gitple/resolve.ts";
import type { TranscriptMessage } from "../gitple/transcript.ts";
import type { Language } from "./words.ts";

/** The transcript a close message carries. */
export type TranscriptState =
  /** Rendered without a network (a preview): the last `last` messages are fetched when it is sent. */
  | { readonly state: "preview"; readonly last: number }
  /** It could not be fetched within the attempt: the message says so and goes out without it. */
  | { readonly state: "unavailable" }
  | {
      readonly state: "ok";
      /** Oldest first. */
      readonly messages: readonly TranscriptMessage[];
      /** Older messages the destination's `transcript = N` left out. */
      readonly omitted: number;
      /** The kept items as Gitple returned them (the webhook envelope's `transcript`). */
      readonly raw: readonly unknown[];
      /** The senders' names (agents, customers), resolved in the same attempt. */
      readonly senders?: Resolution;
    };

export interface Speech {
  readonly names?: Resolution;
  /** An IANA zone; absent: times read as before (`2019-04-29 09:05:56 UTC`). */
  readonly timeZone?: string;
  readonly transcript?: TranscriptState;
  /** The destination's `language`: the relay's own words (src/format/words.ts); absent: English. */
  readonly language?: Language;
}

/**
 * A render context's speech: its names, the config's `timezone`, the destination's `language`, its
 * transcript when the destination asks for one on a close (a preview placeholder when none was fetched).
 * @example speechOf(ctx, dest) // → { names, timeZone: "Asia/Seoul", language: "ko", transcript: { state: "preview", last: 12 } }
 */
export function speechOf(
  ctx: {
    readonly names?: Resolution;
    readonly config: { readonly timezone?: string };
    readonly event: { readonly type: string };
    readonly transcript?: TranscriptState;
  },
  dest: { readonly transcript?: number; readonly language?: Language },
): Speech {
  const last = dest.transcript;
  const wanted = last !== undefined && last > 0 && ctx.event.type === "session_state_close";
  const transcript = wanted ? (ctx.transcript ?? { state: "preview", last }) : undefined;
  return {
    ...(ctx.names && { names: ctx.names }),
    ...(ctx.config.timezone !== undefined && { timeZone: ctx.config.timezone }),
    ...(transcript && { transcript }),
    ...(dest.language && { language: dest.language }),
  };
}
