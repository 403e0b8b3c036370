import { db } from '../db/client.js';
import { unknownContactUuids } from '../db/contactSync.js';
import type { RapidProClient } from '../rapidpro/client/index.js';
import { mapContact, type MappedContact } from './contactMapping.js';
import { loadTrackedGroups } from './trackedGroups.js';

/** Contacts a runs page may fetch one by one; more wait for the contacts sync (their runs count as skipped). */
export const MAX_CONTACT_FETCHES_PER_PAGE = 100;

/**
 * Fetches the contacts a page of runs refers to that the org does not hold yet (they joined
 * RapidPro after the last contacts sync), so their runs are not skipped and lost behind the
 * runs watermark. The caller writes them in the page's transaction.
 * @param orgId the org.
 * @param client the org's RapidPro client.
 * @param uuids contact uuids of the page's runs.
 * @returns the mapped contacts to write.
 */
export async function fetchMissingContacts(orgId: number, client: RapidProClient, uuids: string[]): Promise<MappedContact[]> {
  const unknown = (await unknownContactUuids(orgId, uuids)).slice(0, MAX_CONTACT_FETCHES_PER_PAGE);
  if (!unknown.length) return [];
  const tracked = await loadTrackedGroups(db(), orgId);
  const fetched: MappedContact[] = [];
  for (const uuid of unknown) {
    for (const contact of await client.contacts({ uuid }).all()) {
      const mapped = contact.deleted ? null : mapContact(contact, tracked);
      if (mapped) fetched.push(mapped);
    }
  }
  return fetched;
}
