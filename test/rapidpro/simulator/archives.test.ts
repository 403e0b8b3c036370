import { afterEach, describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../../../src/rapidpro/simulator/index.js';
import { startTestSimulator, testClient } from '../support.js';

describe('run archives', () => {
  let sim: RunningSimulator;
  afterEach(async () => sim?.close());

  it('archives and live runs together give every run exactly once', async () => {
    sim = await startTestSimulator({ contacts: 150, weeks: 20, retentionDays: 40 });
    const client = testClient(sim);
    const archives = await client.archives({ type: 'run' }).all();
    expect(archives.some((a) => a.period === 'monthly')).toBe(true);
    expect(archives.some((a) => a.period === 'daily')).toBe(true);
    const seen: string[] = [];
    for (const archive of archives) {
      const runs = await client.archiveRuns(archive);
      expect(runs).toHaveLength(archive.recordCount);
      seen.push(...runs.map((r) => r.uuid));
    }
    const archived = seen.length;
    for await (const run of client.runs({ reverse: true, paths: false })) seen.push(run.uuid);
    expect(archived).toBeGreaterThan(0);
    expect(seen.length).toBeGreaterThan(archived);
    expect(new Set(seen).size).toBe(seen.length);
    const state = sim.state().runs;
    const total = Array.from({ length: state.count }, (_, r) => r).filter((r) => !state.deleted[r]).length;
    expect(seen.length).toBe(total);
  });
});
