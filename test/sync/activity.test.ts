import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../../src/rapidpro/simulator/index.js';
import { runSync } from '../../src/sync/runSync.js';
import { SYNCERS } from '../../src/sync/syncers.js';
import { startTestSimulator } from '../rapidpro/support.js';
import { connectedOrg, expectedContacts, localContacts } from './support.js';

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startTestSimulator({ contacts: 2000, weeks: 2, activity: true });
});
afterAll(() => sim.close());

describe('the sync client against the simulator’s activity script (rapidpro-api §10.9)', () => {
  it('leaves a local copy equal to the simulator’s state, deletions included, after each stretch of activity', async () => {
    const { org } = await connectedOrg(sim);
    const tracked = {
      regions: new Set(sim.state().layout.groups.filter((g) => g.kind === 'panel').map((g) => g.name)),
      cohorts: new Set(sim.state().layout.groups.filter((g) => g.kind === 'cohort').map((g) => g.name)),
    };
    const changes: number[] = [];
    for (let stretch = 0; stretch < 3; stretch++) {
      const outcome = await runSync(org.id, SYNCERS.contacts, { force: true });
      expect(outcome.status).toBe('done');
      if (stretch > 0 && outcome.status === 'done') changes.push(Object.values(outcome.counts).reduce((a, b) => a + (b ?? 0), 0));
      const { expected, deleted } = await expectedContacts(sim, tracked);
      const local = await localContacts(org.id);
      for (const [uuid, want] of expected) expect(local.get(uuid), uuid).toEqual(want);
      for (const contact of local.values()) {
        if (expected.has(contact.uuid)) continue;
        expect(deleted.has(contact.uuid), contact.uuid).toBe(true);
        expect(contact.status).toBe('deleted');
      }
      sim.clock.advance(36 * 3600);
    }
    // The script did change contacts between syncs (otherwise this test would prove nothing).
    expect(changes.every((n) => n > 0), JSON.stringify(changes)).toBe(true);
  }, 120_000);
});
