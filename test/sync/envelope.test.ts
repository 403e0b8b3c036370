import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '../../src/db/client.js';
import { getQueue } from '../../src/jobs/queues.js';
import { syncFanOutTask } from '../../src/jobs/tasks/SyncFanOutTask.js';
import { syncTask } from '../../src/jobs/tasks/SyncTask.js';
import type { RunningSimulator } from '../../src/rapidpro/simulator/index.js';
import { backoffMs } from '../../src/sync/backoff.js';
import { runSync, type Syncer } from '../../src/sync/runSync.js';
import { SYNCERS } from '../../src/sync/syncers.js';
import { buildOrg, buildUser } from '../support/factories.js';
import { drainQueue } from '../support/queues.js';
import { startTestSimulator, TOKEN } from '../rapidpro/support.js';

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startTestSimulator({ contacts: 300, weeks: 1, activity: false });
});
afterAll(() => sim.close());

const minutes = (n: number) => n * 60_000;

describe('sync envelope', () => {
  it('backs off 30 min × 2^failures, at most 24 h (spec §24.34)', () => {
    expect([0, 1, 2, 3].map(backoffMs)).toEqual([minutes(30), minutes(60), minutes(120), minutes(240)]);
    expect(backoffMs(6)).toBe(minutes(24 * 60));
    expect(backoffMs(12)).toBe(minutes(24 * 60));
  });

  it('flags an org whose token RapidPro refuses, tells its admins once, and other orgs sync normally', async () => {
    const bad = await buildOrg({ apiUrl: sim.url, apiToken: 'not0the0right0token0000000000000000000000' });
    const good = await buildOrg({ apiUrl: sim.url, apiToken: TOKEN });
    const admin = await buildUser(bad, { role: 'admin' });
    const outcome = await runSync(bad.id, SYNCERS.groups, { force: true });
    expect(outcome.status).toBe('invalid-token');
    expect((await db().org.findUniqueOrThrow({ where: { id: bad.id } })).apiTokenError).toMatch(/token/i);
    const state = await db().syncState.findUniqueOrThrow({ where: { orgId_resource: { orgId: bad.id, resource: 'groups' } } });
    expect(state.failures).toBe(1);
    expect(state.notBefore!.getTime()).toBeGreaterThan(Date.now() + minutes(59));
    await runSync(bad.id, SYNCERS.groups, { force: true });
    await drainQueue('mail');
    expect(await db().outboxMail.count({ where: { to: admin.email } })).toBe(1);

    expect((await runSync(good.id, SYNCERS.groups, { force: true })).status).toBe('done');
    await syncFanOutTask.run({ resource: 'groups' });
    const queued = await getQueue('sync').getJob(syncTask.jobId(good.id, 'groups'));
    expect(queued).toBeDefined();
    expect(await getQueue('sync').getJob(syncTask.jobId(bad.id, 'groups'))).toBeUndefined();
    await queued!.remove();
  });

  it('skips inactive orgs and orgs without a token in the fan-out (spec §24.35)', async () => {
    const inactive = await buildOrg({ apiUrl: sim.url, apiToken: TOKEN, isActive: false });
    const tokenless = await buildOrg({ apiUrl: sim.url, apiToken: '' });
    const active = await buildOrg({ apiUrl: sim.url, apiToken: TOKEN });
    await syncFanOutTask.run({ resource: 'fields' });
    const queue = getQueue('sync');
    expect(await queue.getJob(syncTask.jobId(active.id, 'fields'))).toBeDefined();
    expect(await queue.getJob(syncTask.jobId(inactive.id, 'fields'))).toBeUndefined();
    expect(await queue.getJob(syncTask.jobId(tokenless.id, 'fields'))).toBeUndefined();
    await syncTask.enqueue(active.id, 'fields');
    expect((await queue.getJobs(['waiting', 'delayed'])).filter((j) => j.id === syncTask.jobId(active.id, 'fields'))).toHaveLength(1);
    await (await queue.getJob(syncTask.jobId(active.id, 'fields')))!.remove();
  });

  it('never runs one (org, resource) twice at once (spec §24.33)', async () => {
    const org = await buildOrg({ apiUrl: sim.url, apiToken: TOKEN });
    // The lease holder keeps syncing until the other two have returned, so the three overlap
    // however slow the machine (a fast fields sync could end before a late second call began).
    let othersReturned!: () => void;
    const othersDone = new Promise<void>((resolve) => (othersReturned = resolve));
    const heldOpen: Syncer = { resource: 'fields', run: async (context) => { await othersDone; await SYNCERS.fields.run(context); } };
    let returned = 0;
    const calls = [0, 1, 2].map(() => runSync(org.id, heldOpen).finally(() => ++returned === 2 && othersReturned()));
    const outcomes = await Promise.all(calls);
    expect(outcomes.filter((o) => o.status === 'done')).toHaveLength(1);
    expect(outcomes.filter((o) => o.status === 'skipped' && o.reason === 'running')).toHaveLength(2);
  });

  it('waits for the backoff after a failure unless forced', async () => {
    const org = await buildOrg({ apiUrl: sim.url, apiToken: TOKEN });
    sim.addFault({ kind: '500', path: 'fields', count: 10 });
    await expect(runSync(org.id, SYNCERS.fields, { force: true })).rejects.toThrow();
    sim.setFaults([]);
    expect(await runSync(org.id, SYNCERS.fields)).toMatchObject({ status: 'skipped', reason: 'waiting' });
    expect((await runSync(org.id, SYNCERS.fields, { force: true })).status).toBe('done');
    const state = await db().syncState.findUniqueOrThrow({ where: { orgId_resource: { orgId: org.id, resource: 'fields' } } });
    expect(state).toMatchObject({ failures: 0, lastError: null });
  });

  it('syncs fields, groups and boundaries with their GeoJSON', async () => {
    const org = await buildOrg({ apiUrl: sim.url, apiToken: TOKEN });
    for (const resource of ['fields', 'groups', 'boundaries'] as const) expect((await runSync(org.id, SYNCERS[resource], { force: true })).status).toBe('done');
    const fields = await db().dataField.findMany({ where: { orgId: org.id } });
    expect(fields.map((f) => f.key).sort()).toEqual(sim.state().fields.map((f) => f.key).sort());
    expect(fields.every((f) => !f.visible)).toBe(true);
    const boundaries = await db().boundary.findMany({ where: { orgId: org.id } });
    expect(boundaries.length).toBeGreaterThan(1);
    const child = boundaries.find((b) => b.level > 0)!;
    expect(child.parentId).not.toBeNull();
    expect(child.simplified).toMatchObject({ type: expect.stringMatching(/Polygon/) });
    expect(await db().rapidProGroup.count({ where: { orgId: org.id } })).toBe(sim.state().layout.groups.filter((g) => !g.system).length);
  });
});
