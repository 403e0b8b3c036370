import type pg from 'pg';
import { applyContactPage, unknownContactUuids } from '../db/contactSync.js';
import { withPgTransaction } from '../db/pool.js';
import type { MappedRun } from '../pollruns/runMapping.js';
import type { RapidProClient } from '../rapidpro/client/index.js';
import type { MappedContact } from './contactMapping.js';
import { fetchMissingContacts, MAX_CONTACT_FETCHES_PER_PAGE } from './missingContacts.js';

/**
 * Contact uuids one walk has asked RapidPro for. Each is asked once: one it returned is written with
 * the runs that asked for it, before any later page's runs; one it did not return (deleted, or
 * without URNs) keeps its runs skipped. One set per walk, never shared between walks.
 */
export type AskedContacts = Set<string>;

/** A page of mapped runs with the contacts to write before them. */
export interface PreparedRuns {
  rows: MappedRun[];
  /** Contacts that joined RapidPro after the last contacts sync, fetched for these runs. */
  contacts: MappedContact[];
}

/**
 * Fetches the contacts a page of runs needs and this org does not hold yet (they joined RapidPro
 * after the last contacts sync), so their runs are not skipped and lost behind the walk's position.
 * A walk prepares its next page while the previous one is written.
 * @param orgId the org.
 * @param rapidPro the org's RapidPro client.
 * @param rows the mapped runs.
 * @param asked the walk's contacts asked for already; this page's join it.
 * @returns the runs with the contacts to write first.
 */
export async function prepareRuns(orgId: number, rapidPro: RapidProClient, rows: MappedRun[], asked: AskedContacts): Promise<PreparedRuns> {
  const wanted = [...new Set(rows.map((r) => r.contactUuid))].filter((uuid) => !asked.has(uuid));
  const unknown = (await unknownContactUuids(orgId, wanted)).slice(0, MAX_CONTACT_FETCHES_PER_PAGE);
  for (const uuid of unknown) asked.add(uuid);
  return { rows, contacts: unknown.length ? await fetchMissingContacts(orgId, rapidPro, unknown) : [] };
}

/**
 * Writes a prepared page of runs: its contacts first, then `write` applies the runs and saves the
 * walk's position in the same transaction. That transaction commits without waiting for the WAL
 * flush: a crash loses at most pages the walk reads again.
 * @param orgId the org.
 * @param prepared the runs and their contacts.
 * @param write applies the runs and saves the position, on the transaction's connection.
 * @returns what write returns.
 */
export async function writePreparedRuns<T>(orgId: number, prepared: PreparedRuns, write: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  return withPgTransaction(async (client) => {
    await applyContactPage(client, orgId, prepared.contacts);
    return write(client);
  }, { relaxedCommit: true });
}

/**
 * Prepares and writes a page of mapped runs with the contacts they need, as every runs walk does
 * (stream, backfill, fetch of past runs); see prepareRuns and writePreparedRuns.
 * @param orgId the org.
 * @param rapidPro the org's RapidPro client.
 * @param rows the mapped runs.
 * @param write applies the runs and saves the position, on the transaction's connection.
 * @returns what write returns.
 */
export async function writeRuns<T>(orgId: number, rapidPro: RapidProClient, rows: MappedRun[], write: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  return writePreparedRuns(orgId, await prepareRuns(orgId, rapidPro, rows, new Set()), write);
}
