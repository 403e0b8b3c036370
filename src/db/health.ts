import { db } from './client.js';

/**
 * Runs a trivial query, to prove Postgres answers.
 * @returns resolves when it does.
 */
export async function pingDatabase(): Promise<void> {
  await db().$queryRaw`SELECT 1`;
}
