import { db } from '../../src/db/client.js';
import type { Org, Poll } from '../../src/generated/prisma/client.js';
import { selectPolls } from '../../src/polls/pollSelector.js';
import type { Run } from '../../src/rapidpro/client/index.js';
import type { RunningSimulator } from '../../src/rapidpro/simulator/index.js';
import type { SyncResource } from '../../src/sync/resources.js';
import { testClient } from '../rapidpro/support.js';
import { connectedOrg, syncNow } from '../sync/support.js';

/** The polls the fetch tests track. */
export const TRACKED = ['Attendance', 'Weekly School Poll', 'Color Check'];

/**
 * An org connected to the simulator with contacts synced and three polls tracked (questions
 * fetched), but no run read yet.
 * @param sim the simulator.
 * @returns the org and its tracked polls.
 */
export async function trackedOrg(sim: RunningSimulator): Promise<{ org: Org; polls: Poll[] }> {
  const { org } = await connectedOrg(sim);
  const sync = (resource: SyncResource) => syncNow(org.id, resource);
  await sync('contacts');
  await sync('flows');
  const polls = await db().poll.findMany({ where: { orgId: org.id, rapidproName: { in: TRACKED } } });
  await selectPolls(org.id, polls.map((p) => p.id));
  await sync('flows');
  return { org, polls };
}

/**
 * Every run the simulator holds, archived or live, read plainly through the API (newest copy per uuid).
 * @param sim the simulator.
 * @returns the runs.
 */
export async function remoteRuns(sim: RunningSimulator): Promise<Run[]> {
  const client = testClient(sim);
  const byUuid = new Map<string, Run>();
  const keep = (run: Run) => {
    const seen = byUuid.get(run.uuid);
    if (!seen || seen.modifiedOn.ms <= run.modifiedOn.ms) byUuid.set(run.uuid, run);
  };
  for (const archive of await client.archives({ type: 'run' }).all()) for (const run of await client.archiveRuns(archive)) keep(run);
  for await (const run of client.runs()) keep(run);
  return [...byUuid.values()];
}

/**
 * What a fetch since an instant should have brought: runs of the tracked polls modified since
 * then, and those of them whose contact is active here (the others are skipped).
 * @param orgId the org.
 * @param remote every run of the simulator.
 * @param since start of the period.
 * @returns in-window runs and the kept ones.
 */
export async function expectedFetch(orgId: number, remote: Run[], since: Date) {
  const flows = new Set((await db().poll.findMany({ where: { orgId, isActive: true } })).map((p) => p.flowUuid));
  const active = new Set((await db().contact.findMany({ where: { orgId, isActive: true }, select: { uuid: true } })).map((c) => c.uuid));
  const inWindow = remote.filter((r) => flows.has(r.flow.uuid) && r.modifiedOn.ms >= since.getTime());
  return { inWindow, kept: inWindow.filter((r) => active.has(r.contact.uuid)) };
}
