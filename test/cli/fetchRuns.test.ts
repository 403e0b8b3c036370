import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '../../src/db/client.js';
import { getQueue } from '../../src/jobs/queues.js';
import { fetchRunsTask } from '../../src/jobs/tasks/FetchRunsTask.js';
import type { Org } from '../../src/generated/prisma/client.js';
import type { RunningSimulator } from '../../src/rapidpro/simulator/index.js';
import { tracpro } from '../support/cli.js';
import { startTestSimulator } from '../rapidpro/support.js';
import { expectedFetch, remoteRuns, trackedOrg } from '../pollruns/fetchPastSupport.js';

let sim: RunningSimulator;
let org: Org;
beforeAll(async () => {
  sim = await startTestSimulator({ contacts: 60, weeks: 8, activity: false, retentionDays: 21 });
  ({ org } = await trackedOrg(sim));
});
afterAll(() => sim.close());

describe('tracpro fetch-runs', () => {
  it('with --wait fetches here and prints the report', async () => {
    const result = await tracpro('fetch-runs', '--org', org.subdomain, '--days', '30', '--wait');
    expect(result.code, result.stderr).toBe(0);
    const row = await db().runFetch.findFirstOrThrow({ where: { orgId: org.id }, orderBy: { id: 'desc' } });
    expect(row.status).toBe('done');
    expect(result.stdout.trim().split('\n')).toEqual(row.log);
    expect(result.stdout).toMatch(/^Fetching the runs modified since .* of 3 tracked polls/);
    expect(result.stdout).toMatch(/^Done: created \d+, updated 0, skipped \d+, in \d+ API requests\.$/m);
    const want = await expectedFetch(org.id, await remoteRuns(sim), row.since);
    expect(await db().response.count({ where: { orgId: org.id } })).toBe(want.kept.length);
  });

  it('without --wait queues the job', async () => {
    const result = await tracpro('fetch-runs', '--org', org.subdomain, '--minutes', '90');
    expect(result.code, result.stderr).toBe(0);
    const row = await db().runFetch.findFirstOrThrow({ where: { orgId: org.id }, orderBy: { id: 'desc' } });
    expect(result.stdout).toContain(`Queued fetch ${row.id}`);
    expect(row.status).toBe('queued');
    const job = await getQueue('sync').getJob(fetchRunsTask.jobId(row.id));
    expect(job?.data).toEqual({ orgId: org.id, runFetchId: row.id });
    await job!.remove();
    await db().runFetch.update({ where: { id: row.id }, data: { status: 'failed' } });
  });

  it.concurrent.each([
    [['fetch-runs', '--days', '1'], /--org: is required/],
    [['fetch-runs', '--org', 'x'], /--days, --hours or --minutes: give exactly one/],
    [['fetch-runs', '--org', 'x', '--days', '1', '--hours', '2'], /--days, --hours or --minutes: give exactly one/],
    [['fetch-runs', '--org', 'x', '--days', '0'], /--days: Enter a whole number of 1 or more\./],
    [['fetch-runs', '--org', 'x', '--hours=-2'], /--hours: Enter a whole number of 1 or more\./],
    [['fetch-runs', '--org', 'x', '--days', '1.5'], /--days: Enter a whole number of 1 or more\./],
    [['fetch-runs', '--org', 'x', '--days', '5000'], /--days: Enter a period of at most ten years\./],
    [['fetch-runs', '--org', 'no-such-org', '--days', '1'], /--org: no organization/],
    [['fetch-runs', '--org', 'x', '--weeks', '1'], /Unknown option '--weeks'/],
  ])('refuses %j with one line and changes nothing', async (args, pattern) => {
    const before = await db().runFetch.count({ where: { orgId: org.id } });
    const result = await tracpro(...args.map((a) => (a === 'x' ? org.subdomain : a)));
    expect(result.code).not.toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(pattern);
    expect(await db().runFetch.count({ where: { orgId: org.id } })).toBe(before);
  });
});
