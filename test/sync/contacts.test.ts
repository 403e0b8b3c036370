import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '../../src/db/client.js';
import type { RunningSimulator } from '../../src/rapidpro/simulator/index.js';
import { runSync } from '../../src/sync/runSync.js';
import { SYNCERS } from '../../src/sync/syncers.js';
import { startTestSimulator, testClient } from '../rapidpro/support.js';
import { connectedOrg, expectedContacts, localContacts } from './support.js';

let sim: RunningSimulator;
beforeAll(async () => {
  // No scripted activity: the only changes between syncs are the ones this test makes.
  sim = await startTestSimulator({ contacts: 5000, weeks: 2, activity: false });
});
afterAll(() => sim.close());

function trackedNames() {
  const layout = sim.state().layout;
  return {
    regions: new Set(layout.groups.filter((g) => g.kind === 'panel').map((g) => g.name)),
    cohorts: new Set(layout.groups.filter((g) => g.kind === 'cohort').map((g) => g.name)),
  };
}

async function expectMatchesSimulator(orgId: number) {
  const { expected, deleted } = await expectedContacts(sim, trackedNames());
  const local = await localContacts(orgId);
  for (const [uuid, want] of expected) expect(local.get(uuid), uuid).toEqual(want);
  const extra = [...local.values()].filter((c) => !expected.has(c.uuid));
  for (const contact of extra) {
    expect(deleted.has(contact.uuid), `${contact.uuid} is neither in RapidPro nor deleted there`).toBe(true);
    expect(contact).toMatchObject({ status: 'deleted', isActive: false });
  }
  return { expected, local };
}

describe('contact sync against the simulator', () => {
  it('imports 5,000 contacts exactly, then applies exactly the changes made in RapidPro', async () => {
    sim.reset();
    const { org, regions } = await connectedOrg(sim);
    const first = await runSync(org.id, SYNCERS.contacts, { force: true });
    expect(first.status).toBe('done');
    const { expected } = await expectMatchesSimulator(org.id);
    expect(first.status === 'done' && first.counts.created).toBe(expected.size);

    // 50 edits, 10 deletions, 5 blocks and 20 moves between regions, on distinct active contacts.
    sim.clock.advance(600);
    const client = testClient(sim);
    const active = [...expected.values()].filter((c) => c.isActive).map((c) => c.uuid);
    const [edits, deletions, blocks, moves] = [active.slice(0, 50), active.slice(50, 60), active.slice(60, 65), active.slice(65, 85)];
    for (const uuid of edits) await client.updateContact({ uuid }, { name: `Edited ${uuid.slice(0, 8)}` });
    for (const uuid of deletions) await client.deleteContact({ uuid });
    const ws = sim.state();
    const nowUs = Date.parse(sim.clock.now()) * 1000;
    for (const uuid of blocks) {
      const i = ws.contacts.findByUuid(uuid);
      ws.changeContact(i, nowUs, () => (ws.contacts.status[i] = 1));
    }
    for (const [n, uuid] of moves.entries()) {
      const remote = (await client.contacts({ uuid }).all())[0]!;
      const manual = new Set(sim.state().layout.groups.filter((g) => g.kind === 'cohort').map((g) => g.uuid));
      const others = remote.groups.map((g) => g.uuid).filter((g) => manual.has(g));
      const target = regions.find((r) => !remote.groups.some((g) => g.uuid === r)) ?? regions[n % regions.length]!;
      await client.updateContact({ uuid }, { groups: [...others, target] });
    }
    sim.clock.advance(60);

    const second = await runSync(org.id, SYNCERS.contacts, { force: true });
    expect(second).toEqual({ status: 'done', counts: { created: 0, updated: 75, deactivated: 5, deleted: 10, failed: 0 } });
    await expectMatchesSimulator(org.id);
    const duplicates = await db().contact.groupBy({ by: ['uuid'], where: { orgId: org.id }, having: { uuid: { _count: { gt: 1 } } } });
    expect(duplicates).toEqual([]);

    const third = await runSync(org.id, SYNCERS.contacts, { force: true });
    expect(third).toEqual({ status: 'done', counts: { created: 0, updated: 0, deactivated: 0, deleted: 0, failed: 0 } });
  }, 120_000);

  it('waits out a storm of 429s and completes', async () => {
    sim.reset();
    const { org } = await connectedOrg(sim);
    sim.forceThrottle({ count: 20, scope: 'v2.contacts', retryAfter: 1 });
    let outcome = await runSync(org.id, SYNCERS.contacts, { force: true });
    let yields = 0;
    while (outcome.status === 'throttled' && yields < 30) {
      yields++;
      const state = await db().syncState.findUniqueOrThrow({ where: { orgId_resource: { orgId: org.id, resource: 'contacts' } } });
      expect(state.failures).toBe(0);
      expect(state.notBefore!.getTime()).toBe(outcome.retryAt.getTime());
      await new Promise((r) => setTimeout(r, Math.max(0, outcome.status === 'throttled' ? outcome.retryAt.getTime() - Date.now() : 0)));
      outcome = await runSync(org.id, SYNCERS.contacts);
    }
    expect(outcome.status).toBe('done');
    await expectMatchesSimulator(org.id);
  }, 120_000);
});
