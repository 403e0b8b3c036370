import type pg from 'pg';
import { applyContactPage } from '../db/contactSync.js';
import { withPgTransaction } from '../db/pool.js';
import type { MappedRun } from '../pollruns/runMapping.js';
import type { RapidProClient } from '../rapidpro/client/index.js';
import { fetchMissingContacts } from './missingContacts.js';

/**
 * Writes a page of mapped runs with the contacts they need, as every runs walk does (stream,
 * backfill, fetch of past runs): contacts that joined RapidPro after the last contacts sync are
 * fetched and written first, so their runs are not skipped behind the walk's position; `write`
 * applies the runs and saves the walk's position in the same transaction. That transaction commits
 * without waiting for the WAL flush: a crash loses at most pages the walk reads again.
 * @param orgId the org.
 * @param rapidPro the org's RapidPro client.
 * @param rows the mapped runs.
 * @param write applies the runs and saves the position, on the transaction's connection.
 * @returns what write returns.
 */
export async function writeRuns<T>(orgId: number, rapidPro: RapidProClient, rows: MappedRun[], write: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const missing = await fetchMissingContacts(orgId, rapidPro, rows.map((r) => r.contactUuid));
  return withPgTransaction(async (client) => {
    await applyContactPage(client, orgId, missing);
    return write(client);
  }, { relaxedCommit: true });
}
