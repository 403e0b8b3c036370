import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '../../src/db/client.js';
import type { RunningSimulator } from '../../src/rapidpro/simulator/index.js';
import { tracpro } from '../support/cli.js';
import { buildOrg } from '../support/factories.js';
import { startTestSimulator, TOKEN } from '../rapidpro/support.js';

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startTestSimulator({ contacts: 50, weeks: 1, activity: false });
});
afterAll(() => sim.close());


describe('tracpro org:configure --polls and sync --only flows|polls,runs', () => {
  it('tracks flows by name or uuid and fetches their questions; refuses unknown and Single Message flows', async () => {
    const org = await buildOrg({ apiUrl: sim.url, apiToken: TOKEN });
    const feedback = sim.state().flows.find((f) => f.name === 'Feedback')!;
    const configured = await tracpro('org:configure', '--org', org.subdomain, '--polls', `attendance,${feedback.uuid}`);
    expect(configured.code, configured.stderr).toBe(0);
    expect(configured.stdout).toContain('Polls: 2 tracked');
    const tracked = await db().poll.findMany({ where: { orgId: org.id, isActive: true }, include: { questions: true }, orderBy: { rapidproName: 'asc' } });
    expect(tracked.map((p) => [p.rapidproName, p.questions.length])).toEqual([['Attendance', 1], ['Feedback', 1]]);

    const refused = await tracpro('org:configure', '--org', org.subdomain, '--polls', 'Single Message Reminder');
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('--polls: RapidPro has no flow "Single Message Reminder"');

    const synced = await tracpro('sync', '--org', org.subdomain, '--only', 'flows', '--wait');
    expect(synced.code, synced.stderr).toBe(0);
    expect(synced.stdout).toMatch(/^flows: created 0, updated \d+, deactivated 0, deleted 0, failed 0$/m);
  });

  it('sync --only polls,runs --wait reads the flows, then the tracked polls\' runs: history first, then the stream', async () => {
    const org = await buildOrg({ apiUrl: sim.url, apiToken: TOKEN });
    expect((await tracpro('org:configure', '--org', org.subdomain, '--regions', sim.state().layout.groups.filter((g) => g.kind === 'panel').map((g) => g.name).join(','))).code).toBe(0);
    expect((await tracpro('sync', '--org', org.subdomain, '--only', 'contacts', '--wait')).code).toBe(0);
    expect((await tracpro('org:configure', '--org', org.subdomain, '--polls', 'attendance')).code).toBe(0);
    const synced = await tracpro('sync', '--org', org.subdomain, '--only', 'polls,runs', '--wait');
    expect(synced.code, synced.stderr).toBe(0);
    expect(synced.stdout.trim().split('\n').map((line) => line.split(':')[0])).toEqual(['flows', 'runs-backfill', 'runs']);
    expect(await db().response.count({ where: { orgId: org.id } })).toBeGreaterThan(0);
  });
});
