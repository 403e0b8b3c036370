import type pg from 'pg';
import { applyContactPage, unknownContactUuids } from '../db/contactSync.js';
import { withPgTransaction } from '../db/pool.js';
import type { MappedRun } from '../pollruns/runMapping.js';
import type { RapidProClient } from '../rapidpro/client/index.js';
import { fetchMissingContacts, MAX_CONTACT_FETCHES_PER_PAGE } from './missingContacts.js';

/**
 * Contact uuids of one walk that RapidPro gave no contact to keep for (deleted, or without URNs):
 * their runs are skipped, and later pages of the walk do not ask for them again. One per walk.
 */
export type AbsentContacts = Set<string>;

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
 * @param absent the walk's contacts RapidPro did not return; fetched uuids it does not return join it.
 * @returns what write returns.
 */
export async function writeRuns<T>(orgId: number, rapidPro: RapidProClient, rows: MappedRun[], write: (client: pg.PoolClient) => Promise<T>, absent: AbsentContacts = new Set()): Promise<T> {
  const wanted = [...new Set(rows.map((r) => r.contactUuid))].filter((uuid) => !absent.has(uuid));
  const unknown = (await unknownContactUuids(orgId, wanted)).slice(0, MAX_CONTACT_FETCHES_PER_PAGE);
  const missing = unknown.length ? await fetchMissingContacts(orgId, rapidPro, unknown) : [];
  const fetched = new Set(missing.map((c) => c.uuid));
  for (const uuid of unknown) if (!fetched.has(uuid)) absent.add(uuid);
  return withPgTransaction(async (client) => {
    await applyContactPage(client, orgId, missing);
    return write(client);
  }, { relaxedCommit: true });
}
