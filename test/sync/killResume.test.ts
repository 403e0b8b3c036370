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

const workerEnv = { DISABLE_SCHEDULES: 'true', WORKER_LOCK_SECONDS: '2', SYNC_LEASE_SECONDS: '5' };

async function contactsState(orgId: number) {
  return db().syncState.findUnique({ where: { orgId_resource: { orgId, resource: 'contacts' } } });
}

describe('a worker killed in the middle of an import', () => {
  it('resumes from its cursor in a new worker and ends with exact counts', async () => {
    const { org } = await connectedOrg(sim);
    const first = startWorkerProcess(workerEnv);
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

    const second = startWorkerProcess(workerEnv);
    try {
      let state = atKill;
      for (let i = 0; i < 1200 && !state?.lastSuccessAt; i++) {
        await new Promise((r) => setTimeout(r, 50));
        state = await contactsState(org.id);
      }
      expect(state?.lastSuccessAt, second.output().slice(-1500)).not.toBeNull();
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
  }, 120_000);
});
