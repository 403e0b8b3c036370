/** Options of a group commit. */
export interface GroupCommitOptions<T, R> {
  /** Writes one batch of items of one key (an org) and returns their results in order; runs after the window closes. */
  write: (key: number, items: T[]) => Promise<R[]>;
  /**
   * Runs once a batch's write has succeeded (e.g. queueing its follow-up jobs), outside the
   * maxInFlight limit: it needs no database connection, so the next batch's write need not wait for
   * it. Submitters settle when it does.
   */
  afterWrite?: (key: number, results: R[]) => Promise<void>;
  /** How long the first item of a batch waits for company, in milliseconds. */
  windowMs: number;
  /** A batch this large is written at once. */
  maxItems: number;
  /**
   * Writes under way at once (afterWrite not counted); while they all are, new items wait and join
   * the next batch, so batches grow with the load instead of queueing many small writes (each with
   * its own commit).
   */
  maxInFlight: number;
}

interface Waiting<T, R> {
  key: number;
  item: T;
  resolve: (result: R) => void;
  reject: (error: unknown) => void;
}

/**
 * Collects items submitted within a short window and writes them together, one write per key;
 * each submitter's promise settles when its batch's write does, so nothing is acknowledged before
 * it is stored (and afterWrite is done). Up to maxInFlight batches are written at once; items
 * arriving meanwhile wait for the next batch.
 *
 *   const commit = new GroupCommit({ write: (orgId, rows) => insertAll(orgId, rows), afterWrite: (orgId, rows) => enqueue(orgId, rows), windowMs: 2, maxItems: 500, maxInFlight: 2 });
 *   const stored = await commit.submit(orgId, row);
 */
export class GroupCommit<T, R> {
  private waiting: Waiting<T, R>[] = [];
  private timer: NodeJS.Timeout | null = null;
  private inFlight = 0;

  constructor(private readonly options: GroupCommitOptions<T, R>) {}

  /**
   * Adds an item to the open batch.
   * @param key the batch key (items of different keys are written separately).
   * @param item the item.
   * @returns its result once its batch is written.
   */
  submit(key: number, item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.waiting.push({ key, item, resolve, reject });
      if (this.waiting.length >= this.options.maxItems) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), this.options.windowMs);
    });
  }

  private flush() {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    // A write finishing flushes what waits (see written()).
    if (this.inFlight >= this.options.maxInFlight || !this.waiting.length) return;
    const batch = this.waiting.splice(0, this.options.maxItems);
    if (this.waiting.length) this.timer = setTimeout(() => this.flush(), 0);
    const byKey = new Map<number, Waiting<T, R>[]>();
    for (const w of batch) {
      const group = byKey.get(w.key);
      if (group) group.push(w);
      else byKey.set(w.key, [w]);
    }
    this.inFlight++;
    const writes = [...byKey].map(([key, group]) =>
      this.options.write(key, group.map((w) => w.item)).then(
        (results) => void this.settle(key, group, results),
        (error: unknown) => group.forEach((w) => w.reject(error)),
      ),
    );
    void Promise.all(writes).then(() => this.written());
  }

  private async settle(key: number, group: Waiting<T, R>[], results: R[]) {
    try {
      await this.options.afterWrite?.(key, results);
    } catch (error) {
      group.forEach((w) => w.reject(error));
      return;
    }
    group.forEach((w, i) => w.resolve(results[i]!));
  }

  private written() {
    this.inFlight--;
    this.flush();
  }
}
