import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '../../src/db/client.js';
import { syncTask } from '../../src/jobs/tasks/SyncTask.js';
import type { RunningSimulator } from '../../src/rapidpro/simulator/index.js';
import { startTestSimulator } from '../rapidpro/support.js';
import { startWorkerProcess } from '../support/workerProcess.js';
import { connectedOrg, expectedContacts, localContacts } from './support.js';

const CONTACTS = 20_000;
let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startTestSimulator({ contacts: CONTACTS, weeks: 1, activity: false });
});
afterAll(() => sim.close());

// The killed worker's job lock runs out after 2 s, so its successor takes the job over quickly. The
// successor keeps a longer lock: on a loaded machine a 2 s lock can lapse while it works, and BullMQ
// would then fail the job as stalled twice.
const killedWorkerEnv = { DISABLE_SCHEDULES: 'true', WORKER_LOCK_SECONDS: '2', SYNC_LEASE_SECONDS: '5' };
const successorEnv = { ...killedWorkerEnv, WORKER_LOCK_SECONDS: '10' };

async function contactsState(orgId: number) {
  return db().syncState.findUnique({ where: { orgId_resource: { orgId, resource: 'contacts' } } });
}

describe('a worker killed in the middle of an import', () => {
  it('resumes from its cursor in a new worker and ends with exact counts', async () => {
    const { org } = await connectedOrg(sim);
    const first = startWorkerProcess(killedWorkerEnv);
    await syncTask.enqueue(org.id, 'contacts', true);
    let doneBeforeKill = 0;
    for (let i = 0; i < 600 && doneBeforeKill < CONTACTS / 5; i++) {
      await new Promise((r) => setTimeout(r, 25));
      doneBeforeKill = ((await contactsState(org.id))?.progress as { done?: number } | undefined)?.done ?? 0;
    }
    first.child.kill('SIGKILL');
    await first.exited;
    const atKill = await contactsState(org.id);
    expect(atKill?.lastSuccessAt ?? null).toBeNull();
    expect(atKill?.cursor).not.toBeNull();

    const second = startWorkerProcess(successorEnv);
    try {
      let state = atKill;
      for (const deadline = Date.now() + 150_000; Date.now() < deadline && !state?.lastSuccessAt; ) {
        await new Promise((r) => setTimeout(r, 50));
        state = await contactsState(org.id);
      }
      const { cursor, progress, leaseOwner, leaseUntil, lastError, notBefore } = state ?? {};
      expect(state?.lastSuccessAt, JSON.stringify({ cursor, progress, leaseOwner, leaseUntil, lastError, notBefore }) + second.output().slice(-3000)).not.toBeNull();
      const { expected } = await expectedContacts(sim, {
        regions: new Set(sim.state().layout.groups.filter((g) => g.kind === 'panel').map((g) => g.name)),
        cohorts: new Set(sim.state().layout.groups.filter((g) => g.kind === 'cohort').map((g) => g.name)),
      });
      expect(state!.lastCounts).toEqual({ created: expected.size, updated: 0, deactivated: 0, failed: 0, deleted: 0 });
      const local = await localContacts(org.id);
      expect(local.size).toBe(expected.size);
      for (const [uuid, want] of expected) expect(local.get(uuid)).toEqual(want);
    } finally {
      second.child.kill('SIGTERM');
      await second.exited;
    }
  }, 240_000);
});
