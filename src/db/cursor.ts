import { pgPool } from './pool.js';

/** Rows fetched from a cursor at a time: large enough to keep round trips rare, small enough to keep memory flat. */
export const CURSOR_BATCH_SIZE = 1_000;

/**
 * Reads a query's rows in batches through a server-side cursor on one connection, in a read-only
 * transaction, so that an export of a million rows runs one query and never holds more than a
 * batch (plus the one being fetched ahead) in memory. Rows come as arrays, in select-list order.
 * Stop early with `break` (or a throw) in the consuming `for await`: the cursor is closed and the
 * connection returned.
 * @param text the SELECT (only db/ modules build it; values go in as parameters).
 * @param values the parameters.
 * @param batchSize rows per FETCH.
 * @returns the batches, in the query's order.
 */
export async function* cursorBatches(text: string, values: unknown[], batchSize = CURSOR_BATCH_SIZE): AsyncGenerator<unknown[][]> {
  const client = await pgPool().connect();
  let open = false;
  try {
    await client.query('BEGIN READ ONLY');
    open = true;
    // The whole result is read: plan for the total time, not for the first rows. JIT compilation
    // costs more than it saves on these index-probing plans (most of a second per query), and a
    // million-row sort merges far fewer runs with more than the default 4 MB.
    await client.query('SET LOCAL cursor_tuple_fraction = 1; SET LOCAL jit = off; SET LOCAL work_mem = \'64MB\'');
    await client.query(`DECLARE rows_out NO SCROLL CURSOR FOR ${text}`, values);
    const fetch = () => {
      const batch = client.query<unknown[]>({ text: `FETCH ${batchSize} FROM rows_out`, rowMode: 'array' }).then((r) => r.rows);
      batch.catch(() => undefined); // awaited below, unless the consumer stopped first
      return batch;
    };
    // The next batch is fetched while the consumer works on this one.
    let next: Promise<unknown[][]> | null = fetch();
    while (next) {
      const rows: unknown[][] = await next;
      next = rows.length === batchSize ? fetch() : null;
      if (rows.length) yield rows;
    }
    await client.query('COMMIT');
    open = false;
  } finally {
    if (open) await client.query('ROLLBACK').catch(() => undefined);
    client.release();
  }
}
