/**
 * Renders an event as a Discord webhook message
 * (https://discord.com/developers/docs/resources/webhook#execute-webhook):
 * `content` carries the title (what a push notification shows), one embed
 * carries the details: the title (linked to the session when `session_url`
 * gives one), short fields inline, the note or message (or the template's
 * text) as the description, the triggerId footer and the event's time.
 *
 * Discord rejects a message over its limits with a 400, which is never
 * retried, so every text is cut to its limit and the embed, 6000 characters
 * in total, is rebuilt with smaller per-value caps until it fits
 * (https://discord.com/developers/docs/resources/message#embed-object-embed-limits).
 * `allowed_mentions: { parse: [] }` means no text in the message can ping anyone.
 *
 * Trade-off: the title appears twice (content and embed), because Discord's
 * notifications show the content and its clients link only an embed's title.
 */

import type { Template } from "../../config/shared.ts";
import type { EventView } from "../../event/view.ts";
import { type EventKind, eventKind } from "../../format/describe.ts";
import type { Speech } from "../../format/speech.ts";
import { type ChatContent, chatContent } from "../chat-family/content.ts";
import { cut, fitWithin } from "../chat-family/text.ts";
import { chatTranscript } from "../chat-family/transcript.ts";
import type { DiscordDestinationConfig } from "./config.ts";
import { escapeDiscord } from "./escape.ts";

export interface DiscordField {
  readonly name: string;
  readonly value: string;
  readonly inline: boolean;
}

export interface DiscordEmbed {
  readonly title: string;
  readonly url?: string;
  readonly description?: string;
  readonly color: number;
  readonly fields: readonly DiscordField[];
  readonly footer: { readonly text: string };
  readonly timestamp?: string;
}

/** The body of an execute-webhook POST. */
export interface DiscordPayload {
  readonly content: string;
  readonly embeds: readonly DiscordEmbed[];
  readonly allowed_mentions: { readonly parse: readonly string[] };
}

/** Discord's message and embed limits, in characters (counted here in UTF-16 code units). */
export const DISCORD_LIMITS = {
  content: 2000,
  embeds: 10,
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  /** Title, description, field names and values, footer and author name, across all embeds. */
  total: 6000,
} as const;

/** Embed colour (the bar at its left) per kind of event. */
const COLORS: Readonly<Record<EventKind, number>> = {
  opened: 0x3498db,
  assigned: 0xf1c40f,
  closed: 0x2ecc71,
  "message sent": 0x9b59b6,
  unknown: 0x95a5a6,
};

/**
 * Builds the Discord message for one event. Never throws, whatever the payload.
 *
 * @example
 * formatDiscord(view, { type: "discord", webhook_url_secret: "DISCORD_URL", include_contact: false })
 * // → { content: "Session closed (userCancel)",
 * //     embeds: [{ title: "Session closed (userCancel)", color: 3066993, fields: [{ name: "Session", value: "s1", inline: true }, …],
 * //                description: "**Note**\n환불 요청", footer: { text: "Gitple · session_state_close · trigger t1" }, timestamp: "…" }],
 * //     allowed_mentions: { parse: [] } }
 */
export function formatDiscord(
  event: EventView,
  dest: DiscordDestinationConfig,
  template?: Template,
  speech: Speech = {},
): DiscordPayload {
  const content = chatContent(event, dest, template, { title: escapeDiscord, text: escapeDiscord }, speech);
  const timestamp = isoTime(event.ctime);
  const color = COLORS[eventKind(event.type)];
  const embed = fitWithin(
    (cap) => buildEmbed(content, cap, color, timestamp),
    (e) => embedLength(e) <= DISCORD_LIMITS.total,
  );
  return {
    content: cut(content.title, DISCORD_LIMITS.content),
    embeds: [embed, ...transcriptEmbed(speech, color, DISCORD_LIMITS.total - embedLength(embed))],
    allowed_mentions: { parse: [] },
  };
}

/** The transcript on close as a second embed, within what is left of the 6000 characters. */
function transcriptEmbed(speech: Speech, color: number, room: number): DiscordEmbed[] {
  const footer = { text: "Gitple transcript" };
  const t = chatTranscript(speech, {
    escape: escapeDiscord,
    line: (time, sender, text) => `**${time}** ${sender}: ${text}`,
    separator: "\n",
    fits: (t) =>
      t.text.length <= DISCORD_LIMITS.description &&
      cut(t.heading, DISCORD_LIMITS.title).length + t.text.length + footer.text.length <= room,
  });
  if (t === undefined) return [];
  const title = cut(escapeDiscord(t.heading), DISCORD_LIMITS.title);
  if (title.length + footer.text.length + t.text.length > room) return [];
  return [{ title, ...(t.text === "" ? {} : { description: t.text }), color, fields: [], footer }];
}

/**
 * The characters Discord counts toward an embed's 6000.
 *
 * @example
 * embedLength({ title: "ab", fields: [{ name: "c", value: "d", inline: true }], footer: { text: "e" }, color: 0 }) // → 5
 */
export function embedLength(e: DiscordEmbed): number {
  let n = e.title.length + (e.description?.length ?? 0) + e.footer.text.length;
  for (const f of e.fields) n += f.name.length + f.value.length;
  return n;
}

function buildEmbed(c: ChatContent, cap: number, color: number, timestamp: string | undefined): DiscordEmbed {
  const limit = (max: number) => Math.min(max, cap);
  const fields = c.fields
    .filter((f) => !f.long)
    .slice(0, DISCORD_LIMITS.fields)
    .map((f) => ({
      name: cut(f.label, DISCORD_LIMITS.fieldName),
      value: cut(f.value, limit(DISCORD_LIMITS.fieldValue)),
      inline: true,
    }));
  const body =
    c.text ??
    c.fields
      .filter((f) => f.long)
      .map((f) => `**${f.label}**\n${f.value}`)
      .join("\n\n");
  const description = cut(body, limit(DISCORD_LIMITS.description));
  return {
    title: cut(c.title, limit(DISCORD_LIMITS.title)),
    ...(c.link === undefined ? {} : { url: c.link }),
    ...(description === "" ? {} : { description }),
    color,
    fields,
    footer: { text: cut(c.footer, limit(DISCORD_LIMITS.footer)) },
    ...(timestamp === undefined ? {} : { timestamp }),
  };
}

/** The event's time for the embed, only when it is an ISO 8601 time Discord will accept. */
function isoTime(value: string | undefined): string | undefined {
  if (value === undefined || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value)) return undefined;
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
}
