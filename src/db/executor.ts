import type pg from 'pg';
import type { Prisma } from '../generated/prisma/client.js';

/** Runs one SQL statement with positional parameters inside someone's transaction; returns the row count. */
export type SqlExecutor = (sql: string, values: unknown[]) => Promise<number>;

/**
 * An executor on a Prisma transaction.
 * @param tx the transaction.
 * @returns the executor.
 */
export function prismaExecutor(tx: Prisma.TransactionClient): SqlExecutor {
  return (sql, values) => tx.$executeRawUnsafe(sql, ...values);
}

/**
 * An executor on a pg connection (inside withPgTransaction).
 * @param client the connection.
 * @returns the executor.
 */
export function pgExecutor(client: pg.PoolClient): SqlExecutor {
  return async (sql, values) => (await client.query(sql, values)).rowCount ?? 0;
}
