/**
 * Import rules for src/ (npm run deps): no cycles, and the layers of
 * issue 9 (the agreed target layout), top to bottom, each importing only downwards:
 *   src/index.ts (wiring) → http | admin | console → ingest | delivery | digests → routing → destinations
 *   → format | event | config | storage | gitple | sessions | holds | digest-figures;  src/lib, src/log, src/result.ts,
 *   src/version.ts are leaves.
 * digests (the object that sends a digest: it loads the config and looks names up) sits beside ingest and
 * delivery; what counts into it (digest-figures: the aggregates, the stub naming its objects) is at the bottom,
 * so ingest, delivery and the session objects feed it without importing upwards.
 * http may import admin and console (it mounts them), never the reverse; console may import admin (its data
 * comes through the JSON API), admin never imports console; ingest and delivery never import each other;
 * src/config/shared.ts imports nothing of ours (every kind imports it).
 *
 * Trade-off: type-only imports count (tsPreCompilationDeps), so a layer may not even name a type from
 * above; a generic parameter (src/config/types.ts's RoutingConfigOf) is the way down.
 */
const TOP = "^src/(http|admin|console)/";
const MIDDLE = "^src/(ingest|delivery|digests)/";
const BOTTOM = "^src/(format|event|config|storage|gitple|sessions|holds|digest-figures)/";
const LEAF = "^src/(lib/|log/|result\\.ts$|version\\.ts$)";

/** A rule: files matching `from` must not import files matching `to`. */
function layer(name, comment, from, to, pathNot) {
  return { name, comment, severity: "error", from: { path: from }, to: { path: to, ...(pathNot ? { pathNot } : {}) } };
}

module.exports = {
  forbidden: [
    {
      name: "no-circular",
      comment: "An import cycle in src/: break it by moving what both sides need down a layer.",
      severity: "error",
      from: { path: "^src/" },
      to: { circular: true },
    },
    layer("no-import-of-index", "src/index.ts only wires; nothing imports it.", "^src/", "^src/index\\.ts$"),
    layer("admin-not-http", "admin is mounted by http; it must not import http.", "^src/admin/", "^src/http/"),
    layer("admin-not-console", "the console reads admin; admin must not import the console.", "^src/admin/", "^src/console/"),
    layer("console-not-http", "the console is mounted by http; it must not import http.", "^src/console/", "^src/http/"),
    layer("ingest-not-delivery", "ingest and delivery are one layer: shared code goes down.", "^src/ingest/", "^src/delivery/"),
    layer("delivery-not-ingest", "ingest and delivery are one layer: shared code goes down.", "^src/delivery/", "^src/ingest/"),
    layer("ingest-delivery-not-up", "ingest, delivery and digests import only routing and below.", MIDDLE, TOP),
    layer("routing-not-up", "routing imports only destinations and below.", "^src/routing/", `${TOP}|${MIDDLE}`),
    layer(
      "destinations-not-up",
      "destination kinds import only format, event, config, storage, gitple and the leaves.",
      "^src/destinations/",
      `${TOP}|${MIDDLE}|^src/routing/`,
    ),
    layer(
      "bottom-not-up",
      "format, event, config, storage, gitple, sessions, holds and digest-figures import only each other and the leaves.",
      BOTTOM,
      `${TOP}|${MIDDLE}|^src/(routing|destinations)/`,
    ),
    layer("leaves-import-leaves", "src/lib, src/log, result.ts and version.ts import only leaves.", LEAF, "^src/", LEAF),
    layer(
      "config-shared-is-a-leaf",
      "src/config/shared.ts is imported by every kind: it imports nothing of ours.",
      "^src/config/shared\\.ts$",
      "^src/",
    ),
  ],
  options: {
    includeOnly: "^src/",
    tsPreCompilationDeps: true,
    doNotFollow: { path: "node_modules" },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
