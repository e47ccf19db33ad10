/**
 * `POST /admin/explain?render=1`: the message each routed destination would
 * receive, the `messages` of `npm run routes -- explain --json --render`
 * (scripts/lib/routes-explain.mjs builds the same list). Built with the
 * registry's `preview`, the kinds' own render, so nothing is sent and no secret
 * is read: a preview is the content type and body only, never the URL, a header
 * or a signature.
 */
import { preview } from "../destinations/registry.ts";
import type { EventView } from "../event/view.ts";
import type { Resolution } from "../gitple/resolve.ts";
import { route } from "../routing/match.ts";
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
  return route(config, event.view, event.names).destinations.flatMap((d) => {
    const dest = config.destinations[d.name];
    if (dest === undefined) return [];
    const ctx = {
      event: event.view,
      raw: event.raw,
      destination: d.name,
      rules: d.rules,
      config,
      ...(event.names && { names: event.names }),
    };
    const { contentType, body } = preview(dest, ctx);
    return [
      {
        destination: d.name,
        type: dest.type,
        contentType,
        body: contentType === "application/json" ? JSON.parse(body) : body,
      },
    ];
  });
}
