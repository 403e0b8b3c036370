import { db } from '../../src/db/client.js';
import { selectGroups } from '../../src/commands/groupSelector.js';
import { recomputeContactMembership } from '../../src/db/contactSync.js';
import type { Org } from '../../src/generated/prisma/client.js';
import type { RunningSimulator } from '../../src/rapidpro/simulator/index.js';
import { runSync } from '../../src/sync/runSync.js';
import { SYNCERS } from '../../src/sync/syncers.js';
import type { SyncCounts, SyncResource } from '../../src/sync/resources.js';
import { buildOrg } from '../support/factories.js';
import { testClient, TOKEN } from '../rapidpro/support.js';

/**
 * Runs one sync of an org now, as a worker would, and fails the test unless it completed.
 * @param orgId the org.
 * @param resource what to sync.
 * @returns the sync's counts.
 */
export async function syncNow(orgId: number, resource: SyncResource): Promise<SyncCounts> {
  const outcome = await runSync(orgId, SYNCERS[resource], { force: true });
  if (outcome.status !== 'done') throw new Error(`${resource} sync: ${JSON.stringify(outcome)}`);
  return outcome.counts;
}

/**
 * An org connected to a simulator that tracks every panel group as a region and every cohort as a
 * reporter group (groups synced first).
 * @param sim the running simulator.
 * @returns the org and the tracked group uuids.
 */
export async function connectedOrg(sim: RunningSimulator): Promise<{ org: Org; regions: string[]; cohorts: string[] }> {
  const org = await buildOrg({ apiUrl: sim.url, apiToken: TOKEN });
  await syncNow(org.id, 'groups');
  const layout = sim.state().layout;
  const regions = layout.groups.filter((g) => g.kind === 'panel').map((g) => g.uuid);
  const cohorts = layout.groups.filter((g) => g.kind === 'cohort').map((g) => g.uuid);
  await selectGroups(org.id, 'regions', regions);
  await selectGroups(org.id, 'reporterGroups', cohorts);
  await db().$transaction((tx) => recomputeContactMembership(tx, org.id));
  return { org, regions, cohorts };
}

/** What a local contact should look like, worked out plainly from the simulator's API. */
export interface ExpectedContact {
  uuid: string;
  name: string;
  status: string;
  regionName: string | null;
  reporterGroups: string[];
  isActive: boolean;
}

/**
 * Reads the simulator's contacts through the API and states what TracPro should hold for each.
 * @param sim the simulator.
 * @param tracked names of tracked regions and reporter groups.
 * @returns expected contacts by uuid, and tombstone uuids.
 */
export async function expectedContacts(sim: RunningSimulator, tracked: { regions: Set<string>; cohorts: Set<string> }) {
  const client = testClient(sim);
  const expected = new Map<string, ExpectedContact>();
  const deleted = new Set<string>();
  for await (const c of client.contacts()) {
    if (c.deleted) continue;
    if (c.urns.length === 0) continue;
    const regionName = c.groups.map((g) => g.name).filter((n) => tracked.regions.has(n)).sort()[0] ?? null;
    const supported = c.urns.some((u) => /^(tel|twitter|twitterid):/.test(u));
    expected.set(c.uuid, {
      uuid: c.uuid,
      name: c.name ?? '',
      status: c.status ?? 'active',
      regionName,
      reporterGroups: c.groups.map((g) => g.name).filter((n) => tracked.cohorts.has(n)).sort(),
      isActive: (c.status ?? 'active') === 'active' && regionName !== null && supported,
    });
  }
  for await (const c of client.contacts({ deleted: true })) deleted.add(c.uuid);
  return { expected, deleted };
}

/**
 * Reads what TracPro holds for an org's contacts, in the same shape.
 * @param orgId the org.
 * @returns local contacts by uuid.
 */
export async function localContacts(orgId: number): Promise<Map<string, ExpectedContact>> {
  const rows = await db().contact.findMany({
    where: { orgId },
    include: { region: true, reporterGroups: { include: { reporterGroup: true } } },
  });
  return new Map(
    rows.map((c) => [
      c.uuid,
      {
        uuid: c.uuid,
        name: c.name,
        status: c.status,
        regionName: c.region?.name ?? null,
        reporterGroups: c.reporterGroups.map((g) => g.reporterGroup.name).sort(),
        isActive: c.isActive,
      },
    ]),
  );
}
