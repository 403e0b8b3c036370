import pg from 'pg';
import { env } from '../env.js';

const TIMESTAMP_OID = 1114;
// Our timestamps are stored as UTC "timestamp without time zone" (Prisma's mapping): read them as UTC.
const types = {
  getTypeParser: ((oid: number, format?: string) =>
    oid === TIMESTAMP_OID ? (value: string) => new Date(`${value.replace(' ', 'T')}Z`) : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

let pool: pg.Pool | undefined;

/**
 * A plain pg pool for bulk writes on hot paths (a sync page of 250 contacts, COPY), where Prisma's
 * per-parameter conversion of large arrays costs more than the statement. Only db/ modules use it.
 * @returns the process-wide pool.
 */
export function pgPool(): pg.Pool {
  pool ??= new pg.Pool({ connectionString: env().DATABASE_URL, max: env().DATABASE_POOL_SIZE, types });
  return pool;
}

/**
 * Runs work in one transaction on a pooled connection; rolls back on any error.
 * @param work receives the connection.
 * @param options relaxedCommit: do not wait for the WAL flush at commit. For resumable work whose
 *   checkpoint is in the same transaction, a crash loses at most the last pages, which are re-read.
 * @returns what work returns.
 */
export async function withPgTransaction<T>(work: (client: pg.PoolClient) => Promise<T>, options: { relaxedCommit?: boolean } = {}): Promise<T> {
  const client = await pgPool().connect();
  try {
    return await inTransaction(client, options.relaxedCommit ? 'BEGIN; SET LOCAL synchronous_commit TO OFF' : 'BEGIN', () => work(client));
  } finally {
    client.release();
  }
}

/**
 * Runs work in one transaction on a connection the caller holds (e.g. one that already took a
 * session lock); rolls back on any error.
 * @param client the connection.
 * @param begin the statement that opens the transaction (an isolation level, local settings).
 * @param work the work.
 * @returns what work returns.
 */
export async function inTransaction<T>(client: pg.PoolClient, begin: string, work: () => Promise<T>): Promise<T> {
  await client.query(begin);
  try {
    const result = await work();
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/** Closes the pool (graceful shutdown). */
export async function closePgPool(): Promise<void> {
  await pool?.end();
  pool = undefined;
}
