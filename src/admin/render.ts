/**
 * `POST /admin/explain?render=1`: the message each routed destination would
 * receive, the `messages` of `npm run routes -- explain --json --render`
 * (both from src/routing/previews.ts: the kinds' own render, nothing sent, no
 * secret read), JSON bodies parsed.
 */
import type { EventView } from "../event/view.ts";
import type { Resolution } from "../gitple/resolve.ts";
import { route } from "../routing/match.ts";
import { previews } from "../routing/previews.ts";
import type { RoutingConfig } from "../routing/types.ts";

export interface RenderedMessage {
  readonly destination: string;
  readonly type: string;
  readonly contentType: string;
  /** The body: parsed when it is JSON, else the text. */
  readonly body: unknown;
}

/**
 * @example
 * renderMessages(config, { view, raw })
 * // → [{ destination: "vip-slack", type: "slack", contentType: "application/json", body: { text: "…", blocks: […] } }]
 */
export function renderMessages(
  config: RoutingConfig,
  event: { view: EventView; raw: string; names?: Resolution | undefined },
): RenderedMessage[] {
  return previews(config, event, route(config, event.view, event.names), event.names).map((m) => ({
    ...m,
    body: m.contentType === "application/json" ? JSON.parse(m.body) : m.body,
  }));
}
