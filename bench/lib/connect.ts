import { selectGroups } from '../../src/commands/groupSelector.js';
import { createOrg } from '../../src/commands/orgCreator.js';
import { db } from '../../src/db/client.js';
import { recomputeContactMembership } from '../../src/db/contactSync.js';
import { RapidProClient } from '../../src/rapidpro/client/index.js';
import { runSync } from '../../src/sync/runSync.js';
import { SYNCERS } from '../../src/sync/syncers.js';
import { TOKEN } from './setup.js';

/**
 * Creates an org on the simulator tracking its plain groups: the first half (by name) as
 * regions, the rest as reporter groups.
 * @param url the simulator URL.
 * @returns the org id.
 */
export async function connectBenchOrg(url: string): Promise<number> {
  const org = await createOrg({ name: 'Bench', subdomain: `bench-${Date.now()}`, apiUrl: url, apiToken: TOKEN, timezone: 'UTC', languages: ['en'], defaultLanguage: 'en' });
  await runSync(org.id, SYNCERS.groups, { force: true });
  const groups = (await new RapidProClient({ baseUrl: url, token: TOKEN, budget: null }).groups().all()).filter((g) => !g.system && g.query === null);
  const sorted = groups.map((g) => g.uuid).sort();
  await selectGroups(org.id, 'regions', sorted.slice(0, Math.ceil(sorted.length / 2)));
  await selectGroups(org.id, 'reporterGroups', sorted.slice(Math.ceil(sorted.length / 2)));
  await db().$transaction((tx) => recomputeContactMembership(tx, org.id));
  return org.id;
}
