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
