/**
 * What each routed destination would receive, without sending: the registry's
 * `preview` (the kinds' own render) for every destination of a routing answer.
 * A preview is the content type and body only, never the URL, a header or a
 * signature, so no secret is read. Used by `POST /admin/explain?render=1`
 * (src/admin/render.ts) and `npm run routes -- explain --render`.
 */
import type { Rendered } from "../destinations/contract.ts";
import { preview } from "../destinations/registry.ts";
import type { EventView } from "../event/view.ts";
import type { Resolution } from "../gitple/resolve.ts";
import type { RouteDecision, RoutingConfig } from "./types.ts";

export interface Preview extends Pick<Rendered, "contentType" | "body"> {
  readonly destination: string;
  readonly type: string;
}

/**
 * @example
 * previews(config, { view, raw }, route(config, view))
 * // → [{ destination: "vip-slack", type: "slack", contentType: "application/json", body: '{"text":"…"}' }]
 */
export function previews(
  config: RoutingConfig,
  event: { view: EventView; raw: string },
  decision: RouteDecision,
  names?: Resolution,
): Preview[] {
  return decision.destinations.flatMap((d) => {
    const dest = config.destinations[d.name];
    if (dest === undefined) return []; // validation forbids it
    const ctx = {
      event: event.view,
      raw: event.raw,
      destination: d.name,
      rules: d.rules,
      config,
      ...(names && { names }),
    };
    const { contentType, body } = preview(dest, ctx);
    return [{ destination: d.name, type: dest.type, contentType, body }];
  });
}
