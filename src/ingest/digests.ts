/**
 * Ingest's one step for digests (issue 14): an accepted open or close event
 * is counted by each digest whose conditions it meets (src/routing/digests.ts,
 * src/digests/object.ts), before ingest answers 2xx. Other events cost
 * nothing (no object call). A failure to count is a 503 that Gitple retries; a
 * retry of an event counted before a later step failed counts it again (rare,
 * and a digest's figures are a summary, not a ledger).
 */
import { digestNote } from "../digest-figures/figures.ts";
import { digestFor } from "../digest-figures/stub.ts";
import type { EventView } from "../event/view.ts";
import { errorText, log } from "../log/log.ts";
import { digestsOf } from "../routing/digests.ts";
import type { RoutingConfig } from "../routing/types.ts";

const scheduled = new Set<string>();

/**
 * @example
 * await noteDigests(env, config.value, view);
 */
export async function noteDigests(env: Pick<Env, "DIGESTS">, config: RoutingConfig, event: EventView): Promise<void> {
  // Once per isolate and digest: its object sets its alarm, so a digest no event matches still sends. Best
  // effort: a failure is logged, never the event's (the next event tries again).
  await Promise.all(
    config.digests
      .filter((d) => !scheduled.has(d.name))
      .map((d) =>
        digestFor(env, d.name)
          .note(d.name)
          .then(
            () => scheduled.add(d.name),
            (e) => log("warn", "digest not scheduled", { digest: d.name, error: errorText(e) }),
          ),
      ),
  );
  const note = digestNote(event, Date.now());
  if (!note) return;
  await Promise.all(digestsOf(config, event).map((name) => digestFor(env, name).note(name, note)));
}
