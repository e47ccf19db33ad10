// Servers the benchmark starts must stop however it ends. Normal ends and
// errors go through `finally`; a signal (Ctrl-C) would skip those, and wrangler
// runs in its own process group, out of the terminal's reach, so the cleanups
// registered here run on SIGINT and SIGTERM before the process exits.
const cleanups = new Set<() => unknown>();

/** Registers `fn` to run if the process is interrupted; returns the function that unregisters it. */
export function onInterrupt(fn: () => unknown): () => boolean {
  cleanups.add(fn);
  return () => cleanups.delete(fn);
}

for (const signal of ["SIGINT", "SIGTERM"]) {
  process.once(signal, async () => {
    process.stderr.write(`\n· ${signal}: stopping what the benchmark started…\n`);
    for (const fn of [...cleanups].reverse()) {
      try {
        await fn();
      } catch {}
    }
    process.exit(130);
  });
}
