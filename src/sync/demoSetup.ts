import { selectGroups } from '../commands/groupSelector.js';
import { setRegionAccess } from '../commands/regionAccessUpdater.js';
import { db } from '../db/client.js';
import { recomputeContactMembership } from '../db/contactSync.js';
import { logger } from '../logger.js';
import { selectPolls } from '../polls/pollSelector.js';
import { orgDb } from '../tenancy/orgDb.js';
import { rapidProFor } from './rapidProFor.js';
import { runSync } from './runSync.js';
import { SYNCERS } from './syncers.js';

/** The simulator's weekly polls (src/rapidpro/simulator/world/flowCatalog.ts). */
const DEMO_POLLS = ['Attendance', 'Water Point', 'Weekly School Poll'] as const;

/**
 * Connects the demo org to its simulated workspace the way an administrator would: groups named
 * like a state boundary become regions (linked to it), the other plain groups reporter groups, the
 * supervisor gets the first region and the viewer the second; the weekly polls are tracked; then
 * everything is synced once, runs included.
 * Does nothing to an org that already tracks regions.
 * @param orgId the demo org.
 * @param supervisorIds members who get the first region and the second region respectively.
 */
export async function setUpDemoOrg(orgId: number, supervisorIds: number[]): Promise<void> {
  if (await orgDb(orgId).region.count()) return;
  for (const resource of ['workspace', 'groups', 'fields', 'boundaries'] as const) await runSync(orgId, SYNCERS[resource], { force: true });
  const org = await db().org.findUniqueOrThrow({ where: { id: orgId } });
  const groups = (await rapidProFor(org).groups().all()).filter((g) => !g.system && g.query === null);
  const boundaries = await orgDb(orgId).boundary.findMany({ where: { level: { gte: 1 } } });
  const boundaryOf = new Map(boundaries.map((b) => [b.name.toLowerCase(), b.id]));
  const regions = groups.filter((g) => boundaryOf.has(g.name.toLowerCase()));
  const reporterGroups = groups.filter((g) => !boundaryOf.has(g.name.toLowerCase()));
  await selectGroups(orgId, 'regions', regions.map((g) => g.uuid));
  await selectGroups(orgId, 'reporterGroups', reporterGroups.map((g) => g.uuid));
  for (const region of await orgDb(orgId).region.findMany({ orderBy: { name: 'asc' } })) {
    await db().region.update({ where: { id: region.id }, data: { boundaryId: boundaryOf.get(region.name.toLowerCase()) ?? null } });
  }
  const ordered = await orgDb(orgId).region.findMany({ orderBy: { name: 'asc' }, select: { id: true } });
  for (const [i, userId] of supervisorIds.entries()) if (ordered[i]) await setRegionAccess(orgId, userId, [ordered[i].id]);
  await db().$transaction((tx) => recomputeContactMembership(tx, orgId), { timeout: 600_000 });
  await orgDb(orgId).dataField.updateMany({ where: { key: { in: ['gender', 'age', 'district'] } }, data: { visible: true } });
  await orgDb(orgId).dataField.updateMany({ where: { key: { in: ['gender'] } }, data: { filterable: true } });
  const outcome = await runSync(orgId, SYNCERS.contacts, { force: true });
  // The simulator's weekly polls are tracked, so the dashboard has months of poll runs from the start.
  await runSync(orgId, SYNCERS.flows, { force: true });
  const polls = await orgDb(orgId).poll.findMany({ where: { rapidproName: { in: [...DEMO_POLLS] } }, select: { id: true } });
  await selectPolls(orgId, polls.map((p) => p.id));
  for (const resource of ['flows', 'runs-backfill', 'runs'] as const) await runSync(orgId, SYNCERS[resource], { force: true });
  const responses = await orgDb(orgId).response.count();
  logger.info({ orgId, regions: regions.length, reporterGroups: reporterGroups.length, contacts: outcome, polls: polls.length, responses }, 'demo org connected');
}
