/**
 * A concurrency limit: at most `max` of the given tasks run at once, the rest wait their turn in order.
 * Used to keep one event's Open API lookups to 6 requests in flight (issue 10).
 */

/**
 * @example
 *   const limit = limiter(6);
 *   const names = await Promise.all(ids.map((id) => limit(() => lookUp(id))));
 */
export function limiter(max: number): <T>(task: () => Promise<T>) => Promise<T> {
  let running = 0;
  const waiting: (() => void)[] = [];
  const next = () => {
    running--;
    waiting.shift()?.();
  };
  return <T>(task: () => Promise<T>) =>
    new Promise<T>((resolve, reject) => {
      const start = () => {
        running++;
        task().then(resolve, reject).finally(next);
      };
      if (running < max) start();
      else waiting.push(start);
    });
}
