/**
 * Iterates an async iterable while already fetching the next item, so slow consumers (database
 * writes) overlap with slow producers (API pages). At most one item is read ahead.
 * @param source the iterable.
 * @returns the same items, in order.
 */
export async function* prefetching<T>(source: AsyncIterable<T>): AsyncGenerator<T> {
  const iterator = source[Symbol.asyncIterator]();
  let pending = iterator.next();
  try {
    for (;;) {
      const current = await pending;
      if (current.done) return;
      pending = iterator.next();
      // A failure of the read-ahead surfaces on the next await; never as an unhandled rejection.
      pending.catch(() => undefined);
      yield current.value;
    }
  } finally {
    await iterator.return?.();
  }
}

/**
 * Groups pages into batches of at least `minItems` items (the last may be smaller), so that a
 * consumer writes several API pages in one transaction: fewer, larger statements.
 * @param pages the pages.
 * @param minItems items per batch.
 * @param size how many items a page counts for (by default its items).
 * @returns batches of consecutive pages.
 */
export async function* inBatches<P extends { items: unknown[] }>(pages: AsyncIterable<P>, minItems: number, size: (page: P) => number = (page) => page.items.length): AsyncGenerator<P[]> {
  let batch: P[] = [];
  let items = 0;
  for await (const page of pages) {
    batch.push(page);
    items += size(page);
    if (items >= minItems) {
      yield batch;
      batch = [];
      items = 0;
    }
  }
  if (batch.length) yield batch;
}
