import { afterEach, describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../../../src/rapidpro/simulator/index.js';
import { InvalidCursorError } from '../../../src/rapidpro/client/index.js';
import { startTestSimulator, testClient } from '../support.js';

describe('cursor paging against the simulator', () => {
  let sim: RunningSimulator;
  afterEach(async () => sim?.close());

  it('walks every contact once with 3-row pages, in both orders', async () => {
    sim = await startTestSimulator({ contacts: 60, pageSize: 3 });
    const client = testClient(sim);
    const newestFirst = await client.contacts().all();
    const oldestFirst = await client.contacts({ reverse: true }).all();
    const live = sim.state().contacts;
    const expected = Array.from({ length: live.count }, (_, i) => i).filter((i) => !live.deleted[i]).length;
    expect(newestFirst).toHaveLength(expected);
    expect(new Set(newestFirst.map((c) => c.uuid)).size).toBe(expected);
    expect(oldestFirst.map((c) => c.uuid)).toEqual([...newestFirst.map((c) => c.uuid)].reverse());
    for (let i = 1; i < oldestFirst.length; i++) expect(oldestFirst[i]!.modifiedOn.iso >= oldestFirst[i - 1]!.modifiedOn.iso).toBe(true);
  });

  it('pages 1,000 rows sharing one timestamp without loss or repeats, 3 rows a page', async () => {
    sim = await startTestSimulator({ contacts: 1100, pageSize: 3 });
    const client = testClient(sim);
    const group = (await client.groups().all()).find((g) => g.query === null && !g.system)!;
    const targets = (await client.contacts().all()).filter((c) => c.status === 'active').slice(0, 1000);
    expect(targets).toHaveLength(1000);
    // The clock is frozen, so every write lands on the same modified_on.
    for (let k = 0; k < targets.length; k += 100) {
      await client.contactAction({ action: 'add', group: group.uuid, contacts: targets.slice(k, k + 100).map((c) => c.uuid) });
    }
    const now = sim.clock.now();
    for (const reverse of [true, false]) {
      const tied = await client.contacts({ after: now, reverse }).all();
      expect(tied).toHaveLength(1000);
      expect(new Set(tied.map((c) => c.uuid))).toEqual(new Set(targets.map((c) => c.uuid)));
      expect(new Set(tied.map((c) => c.modifiedOn.iso))).toEqual(new Set([now]));
    }
  });

  it('stops at an empty page even when next is set, and re-bases next links pointing elsewhere', async () => {
    sim = await startTestSimulator({ contacts: 30, pageSize: 3 });
    const client = testClient(sim);
    sim.addFault({ kind: 'foreignNext', path: 'contacts', count: 3 });
    const all = await client.contacts().all();
    expect(all.length).toBeGreaterThan(20);
    sim.addFault({ kind: 'emptyNext', path: 'contacts', count: 1 });
    expect(await client.contacts().all()).toEqual([]);
  });

  it('resumes from a saved cursor and reports a garbled cursor as InvalidCursorError', async () => {
    sim = await startTestSimulator({ contacts: 30, pageSize: 3 });
    const client = testClient(sim);
    const pages = client.contacts({ reverse: true }).pages();
    const first = (await pages.next()).value!;
    const rest = await client.contacts({ reverse: true, cursor: first.nextCursor }).all();
    const all = await client.contacts({ reverse: true }).all();
    expect([...first.items, ...rest].map((c) => c.uuid)).toEqual(all.map((c) => c.uuid));
    await expect(client.contacts({ cursor: 'garbled!!' }).all()).rejects.toBeInstanceOf(InvalidCursorError);
  });
});
