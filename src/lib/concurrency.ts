// Work over a list with at most `limit` items in flight: storage and backends are called a few at a time, never a
// burst of thousands, and a slow item holds up one worker, not the rest.

/** Runs `work` for every item, at most `limit` at once; resolves when all are done (rejects on the first failure). */
export async function forEachLimited<T>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      await work(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
