import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '../../src/db/client.js';
import { pgExecutor } from '../../src/db/executor.js';
import { withPgTransaction } from '../../src/db/pool.js';
import { saveRunFetchProgress } from '../../src/db/runFetches.js';
import type { Org } from '../../src/generated/prisma/client.js';
import { getQueue } from '../../src/jobs/queues.js';
import { fetchRunsTask } from '../../src/jobs/tasks/FetchRunsTask.js';
import { createRunFetch } from '../../src/pollruns/fetchPastCreator.js';
import { runFetchPast } from '../../src/pollruns/fetchPastRunner.js';
import { fetchFractions, readFetchState } from '../../src/pollruns/fetchPastState.js';
import type { Run } from '../../src/rapidpro/client/index.js';
import type { RunningSimulator } from '../../src/rapidpro/simulator/index.js';
import { buildOrg, buildUser } from '../support/factories.js';
import { drainQueue } from '../support/queues.js';
import { startTestSimulator } from '../rapidpro/support.js';
import { expectedFetch, remoteRuns, trackedOrg } from './fetchPastSupport.js';

const DAY = 86_400_000;
const RETENTION_DAYS = 21;

let sim: RunningSimulator;
let remote: Run[];
beforeAll(async () => {
  sim = await startTestSimulator({ contacts: 60, weeks: 10, activity: false, retentionDays: RETENTION_DAYS });
  remote = await remoteRuns(sim);
});
afterAll(async () => {
  await sim.close();
});

/** Creates a fetch of the last N days for an admin and runs it here, as the worker would. */
async function fetchDays(org: Org, days: number, requestedById: number | null = null) {
  const created = await createRunFetch(org, { period: { amount: days, unit: 'days' }, requestedById, enqueue: false });
  if (!created.ok) throw new Error(created.reason);
  const outcome = await runFetchPast(org.id, created.fetch.id, { finalAttempt: true });
  return { outcome, row: await db().runFetch.findUniqueOrThrow({ where: { id: created.fetch.id } }) };
}

async function localRuns(orgId: number) {
  return db().response.findMany({ where: { orgId }, select: { runUuid: true, updatedAt: true } });
}

describe('fetch past runs', () => {
  it('ingests exactly the runs of tracked polls modified in the period, older ones from the archives, and reports', async () => {
    const { org } = await trackedOrg(sim);
    const admin = await buildUser(org, { role: 'admin' });
    sim.clearRequests();
    const { outcome, row } = await fetchDays(org, 35, admin.id);
    expect(outcome).toEqual({ status: 'done' });
    expect(row).toMatchObject({ status: 'done', error: null });

    // The period is on RapidPro's clock (the simulator's is years behind ours).
    const simNow = Date.parse(sim.clock.now());
    expect(Math.abs(row.since.getTime() - (simNow - 35 * DAY))).toBeLessThan(60_000);
    const want = await expectedFetch(org.id, remote, row.since);
    const got = await localRuns(org.id);
    expect(got.map((r) => r.runUuid).sort()).toEqual(want.kept.map((r) => r.uuid).sort());
    // Beyond the retention, runs.json has nothing: these came from the archive files.
    const archived = want.kept.filter((r) => r.modifiedOn.ms < simNow - RETENTION_DAYS * DAY);
    expect(archived.length).toBeGreaterThan(0);
    expect(remote.some((r) => r.modifiedOn.ms < row.since.getTime())).toBe(true);

    const state = readFetchState(row.progress);
    const sum = (key: 'read' | 'created' | 'updated' | 'skipped') => state.polls.reduce((a, p) => a + p[key], 0);
    expect(state.polls).toHaveLength(3);
    expect(state.polls.every((p) => p.done)).toBe(true);
    expect(state.archives.length).toBeGreaterThan(0);
    expect(state.archives.every((a) => a.done)).toBe(true);
    expect(state.archivedRead).toBe(want.inWindow.filter((r) => r.modifiedOn.ms < simNow - RETENTION_DAYS * DAY).length);
    expect({ read: sum('read'), created: sum('created'), updated: sum('updated'), skipped: sum('skipped') })
      .toEqual({ read: want.inWindow.length, created: want.kept.length, updated: 0, skipped: want.inWindow.length - want.kept.length });
    expect(fetchFractions(state, row.since, true).total).toBe(1);

    // Per poll, after the archives: runs?flow=…&after=since&reverse=true, no responded filter.
    const api = sim.requests().filter((r) => r.path.includes('/api/v2/'));
    expect(row.requestsMade).toBe(api.length);
    expect(row.estimatedRequests).toBeGreaterThan(0);
    const runQueries = api.filter((r) => r.path.includes('runs')).map((r) => new URLSearchParams(r.query));
    expect(runQueries.every((q) => q.has('flow') && q.get('reverse') === 'true' && q.get('paths') === 'false' && !q.has('responded') && q.has('after'))).toBe(true);
    expect(new Set(runQueries.map((q) => q.get('flow')))).toEqual(new Set(state.polls.map((p) => p.flowUuid)));
    // The periodic stream's cursor is not touched.
    expect(await db().syncState.findUnique({ where: { orgId_resource: { orgId: org.id, resource: 'runs' } } })).toBeNull();

    expect(row.log[0]).toMatch(/^Fetching the runs modified since .* of 3 tracked polls/);
    for (const poll of state.polls) {
      expect(row.log).toContain(`${poll.read} runs for poll ${poll.name}`);
      expect(row.log).toContain(`${poll.name}: created ${poll.created}, updated ${poll.updated}, skipped ${poll.skipped}`);
    }
    expect(row.log.at(-1)).toMatch(/^Done: created \d+, updated 0, skipped \d+, in \d+ API requests\.$/);

    await drainQueue('mail');
    const mail = await db().outboxMail.findFirstOrThrow({ where: { to: admin.email }, orderBy: { id: 'desc' } });
    expect(mail.subject).toBe(`Past runs fetched for ${org.name}`);
    for (const line of row.log) expect(mail.text).toContain(line);

    // Again: nothing new, nothing rewritten.
    const again = await fetchDays(org, 35);
    const second = readFetchState(again.row.progress);
    expect(second.polls.reduce((a, p) => a + p.created + p.updated, 0)).toBe(0);
    expect(second.polls.reduce((a, p) => a + p.read, 0)).toBe(want.inWindow.length);
    expect((await localRuns(org.id)).map((r) => `${r.runUuid}@${r.updatedAt.getTime()}`).sort()).toEqual(got.map((r) => `${r.runUuid}@${r.updatedAt.getTime()}`).sort());
  });

  it('reads only the live runs for a short period, in hours', async () => {
    const { org } = await trackedOrg(sim);
    const created = await createRunFetch(org, { period: { amount: 36, unit: 'hours' }, requestedById: null, enqueue: false });
    if (!created.ok) throw new Error(created.reason);
    sim.clearRequests();
    expect(await runFetchPast(org.id, created.fetch.id, { finalAttempt: true })).toEqual({ status: 'done' });
    const row = await db().runFetch.findUniqueOrThrow({ where: { id: created.fetch.id } });
    expect(readFetchState(row.progress).archives).toEqual([]);
    const want = await expectedFetch(org.id, remote, row.since);
    expect((await localRuns(org.id)).map((r) => r.runUuid).sort()).toEqual(want.kept.map((r) => r.uuid).sort());
  });

  it('continues a failed attempt from its saved progress, counting every run once', async () => {
    const { org } = await trackedOrg(sim);
    const created = await createRunFetch(org, { period: { amount: 49, unit: 'days' }, requestedById: null, enqueue: false });
    if (!created.ok) throw new Error(created.reason);
    // The archives are read, then every runs request fails (after the client's own retries).
    sim.setFaults([{ kind: '500', path: 'runs.json', count: 40 }]);
    await expect(runFetchPast(org.id, created.fetch.id, { finalAttempt: false })).rejects.toThrow();
    let row = await db().runFetch.findUniqueOrThrow({ where: { id: created.fetch.id } });
    expect(row.status).toBe('running');
    expect(row.log.at(-1)).toMatch(/^An attempt failed/);
    const saved = readFetchState(row.progress);
    expect(saved.archives.every((a) => a.done)).toBe(true);
    expect(saved.archivedRead).toBeGreaterThan(0);

    sim.setFaults([]);
    sim.clearRequests();
    expect(await runFetchPast(org.id, created.fetch.id, { finalAttempt: false })).toEqual({ status: 'done' });
    row = await db().runFetch.findUniqueOrThrow({ where: { id: created.fetch.id } });
    // Resumed: no second archive listing or download, and no run counted twice.
    expect(sim.requests().filter((r) => r.path.includes('archives'))).toEqual([]);
    const want = await expectedFetch(org.id, remote, row.since);
    const state = readFetchState(row.progress);
    expect(state.polls.reduce((a, p) => a + p.read, 0)).toBe(want.inWindow.length);
    expect(state.polls.reduce((a, p) => a + p.created, 0)).toBe(want.kept.length);
  });

  it('resumes mid-walk from the saved cursor when pages fail at random', async () => {
    const small = await startTestSimulator({ contacts: 60, weeks: 10, activity: false, retentionDays: RETENTION_DAYS, pageSize: 5 });
    try {
      const { org } = await trackedOrg(small);
      const all = await remoteRuns(small);
      const created = await createRunFetch(org, { period: { amount: 49, unit: 'days' }, requestedById: null, enqueue: false });
      if (!created.ok) throw new Error(created.reason);
      small.setFaults([{ kind: '500', path: 'runs.json', probability: 0.6 }]);
      let outcome: Awaited<ReturnType<typeof runFetchPast>> | null = null;
      for (let attempt = 0; attempt < 60 && !outcome; attempt++) outcome = await runFetchPast(org.id, created.fetch.id).catch(() => null);
      expect(outcome).toEqual({ status: 'done' });
      const row = await db().runFetch.findUniqueOrThrow({ where: { id: created.fetch.id } });
      expect(row.log.filter((l) => l.startsWith('An attempt failed')).length).toBeGreaterThan(0);
      const want = await expectedFetch(org.id, all, row.since);
      const state = readFetchState(row.progress);
      expect(state.polls.reduce((a, p) => a + p.read, 0)).toBe(want.inWindow.length);
      expect(state.polls.reduce((a, p) => a + p.created, 0)).toBe(want.kept.length);
      expect((await localRuns(org.id)).length).toBe(want.kept.length);
    } finally {
      await small.close();
    }
  });

  it('pauses when RapidPro throttles, then continues', async () => {
    const { org } = await trackedOrg(sim);
    const created = await createRunFetch(org, { period: { amount: 3, unit: 'days' }, requestedById: null, enqueue: false });
    if (!created.ok) throw new Error(created.reason);
    sim.forceThrottle({ count: 3, scope: 'v2.runs', retryAfter: 1 });
    const first = await runFetchPast(org.id, created.fetch.id, { finalAttempt: true });
    expect(first.status).toBe('throttled');
    const paused = await db().runFetch.findUniqueOrThrow({ where: { id: created.fetch.id } });
    expect(paused.status).toBe('running');
    expect(paused.log.at(-1)).toMatch(/^RapidPro asked TracPro to slow down/);
    expect(await runFetchPast(org.id, created.fetch.id, { finalAttempt: true })).toEqual({ status: 'done' });
  });

  it('moves its job to the delayed set while RapidPro throttles, instead of failing', async () => {
    const { org } = await trackedOrg(sim);
    const created = await createRunFetch(org, { period: { amount: 3, unit: 'days' }, requestedById: null });
    if (!created.ok) throw new Error(created.reason);
    sim.forceThrottle({ count: 3, scope: 'v2.runs', retryAfter: 1 });
    await drainQueue('sync');
    const job = await getQueue('sync').getJob(fetchRunsTask.jobId(created.fetch.id));
    expect(await job?.getState()).toBe('delayed');
    expect(job?.attemptsMade).toBe(0);
    const row = await db().runFetch.findUniqueOrThrow({ where: { id: created.fetch.id } });
    expect(row.status).toBe('running');
    expect(row.log.at(-1)).toMatch(/^RapidPro asked TracPro to slow down/);
    await job!.remove();
  });

  it('fails with the reason and mails it when the token is refused', async () => {
    const org = await buildOrg({ apiUrl: sim.url, apiToken: 'WRONGTOKEN1234567890' });
    const admin = await buildUser(org, { role: 'admin', language: 'fr' });
    const created = await createRunFetch(org, { period: { amount: 1, unit: 'days' }, requestedById: admin.id, enqueue: false });
    if (!created.ok) throw new Error(created.reason);
    expect(await runFetchPast(org.id, created.fetch.id, { finalAttempt: false })).toEqual({ status: 'failed' });
    const row = await db().runFetch.findUniqueOrThrow({ where: { id: created.fetch.id } });
    expect(row.status).toBe('failed');
    expect(row.error).toBeTruthy();
    await drainQueue('mail');
    expect(await db().outboxMail.count({ where: { to: admin.email } })).toBeGreaterThan(0);
  });

  it('queues one job per fetch and refuses a second fetch while one is under way', async () => {
    const { org } = await trackedOrg(sim);
    const first = await createRunFetch(org, { period: { amount: 2, unit: 'days' }, requestedById: null });
    if (!first.ok) throw new Error(first.reason);
    const job = await getQueue('sync').getJob(fetchRunsTask.jobId(first.fetch.id));
    expect(job?.data).toEqual({ orgId: org.id, runFetchId: first.fetch.id });
    expect(await createRunFetch(org, { period: { amount: 2, unit: 'days' }, requestedById: null })).toEqual({ ok: false, reason: 'busy' });
    await job?.remove();
    expect(await createRunFetch(await buildOrg({ apiToken: '' }), { period: { amount: 2, unit: 'days' }, requestedById: null })).toEqual({ ok: false, reason: 'no-token' });
    // The job of a fetch that is gone does nothing.
    expect(await fetchRunsTask.perform({ orgId: org.id, runFetchId: 999_999_999 })).toEqual({ status: 'gone' });
  });

  it('saves progress only on its own org’s row', async () => {
    const [a, b] = [await buildOrg(), await buildOrg()];
    const row = await db().runFetch.create({ data: { orgId: a.id, since: new Date() } });
    const saved = await withPgTransaction((client) => saveRunFetchProgress(pgExecutor(client), b.id, row.id, { progress: { planned: true }, requestsMade: 5 }));
    expect(saved).toBe(false);
    expect(await db().runFetch.findUniqueOrThrow({ where: { id: row.id } })).toMatchObject({ requestsMade: 0, progress: [] });
    expect(await withPgTransaction((client) => saveRunFetchProgress(pgExecutor(client), a.id, row.id, { progress: { planned: true }, requestsMade: 5 }))).toBe(true);
  });
});
