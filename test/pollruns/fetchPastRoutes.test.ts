import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '../../src/db/client.js';
import { getQueue } from '../../src/jobs/queues.js';
import { fetchRunsTask } from '../../src/jobs/tasks/FetchRunsTask.js';
import type { RunningSimulator } from '../../src/rapidpro/simulator/index.js';
import { buildOrg, buildUser, TEST_PASSWORD } from '../support/factories.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { startTestSimulator } from '../rapidpro/support.js';
import { trackedOrg } from './fetchPastSupport.js';

let app: TestServer;
let sim: RunningSimulator;
beforeAll(async () => {
  [app, sim] = await Promise.all([startTestServer(), startTestSimulator({ contacts: 60, weeks: 8, activity: false, retentionDays: 21 })]);
});
afterAll(async () => {
  await Promise.all([app.close(), sim.close()]);
});

async function adminOf(options: { language?: string } = {}) {
  const { org } = await trackedOrg(sim);
  const admin = await buildUser(org, { role: 'admin', ...options });
  const agent = app.agent();
  await agent.signIn(admin.email, TEST_PASSWORD);
  return { org, admin, agent, host: agent.host(org.subdomain) };
}

const PAGES = ['/org/fetch-runs', '/org/fetch-runs.json', '/org/fetch-runs/estimate.json?amount=1&unit=days'];

describe('fetch past runs pages', () => {
  it('are for admins: signed out → sign-in, other org → 404, supervisor and viewer → 403', async () => {
    const org = await buildOrg({ apiUrl: sim.url });
    const outsider = app.agent();
    await outsider.signIn((await buildUser(await buildOrg(), { role: 'admin' })).email, TEST_PASSWORD);
    const anonymous = app.agent();
    for (const path of PAGES) {
      expect((await anonymous.get(anonymous.host(org.subdomain), path)).status, path).toBe(303);
      expect((await outsider.get(outsider.host(org.subdomain), path)).status, path).toBe(404);
    }
    expect((await outsider.post(outsider.host(org.subdomain), '/org/fetch-runs', { amount: '1', unit: 'days' })).status).toBe(404);
    for (const role of ['supervisor', 'viewer'] as const) {
      const agent = app.agent();
      await agent.signIn((await buildUser(org, { role })).email, TEST_PASSWORD);
      for (const path of PAGES) expect((await agent.get(agent.host(org.subdomain), path)).status, `${role} ${path}`).toBe(403);
      expect((await agent.post(agent.host(org.subdomain), '/org/fetch-runs', { amount: '1', unit: 'days' })).status).toBe(403);
    }
    expect(await db().runFetch.count({ where: { orgId: org.id } })).toBe(0);
  });

  it('refuses a post without the CSRF token, and periods that are not a whole number ≥ 1', async () => {
    const { org, agent, host } = await adminOf();
    expect((await agent.post(host, '/org/fetch-runs', { amount: '1', unit: 'days', _csrf: '' })).status).toBe(403);
    for (const amount of ['0', '-3', '1.5', 'abc', '']) {
      const res = await agent.post(host, '/org/fetch-runs', { amount, unit: 'days' });
      expect(res.status, amount).toBe(400);
      expect(res.body).toContain('Enter a whole number of 1 or more.');
      expect(res.body).toContain('is-invalid');
    }
    const tooLong = await agent.post(host, '/org/fetch-runs', { amount: '4000', unit: 'days' });
    expect(tooLong.body).toContain('Enter a period of at most ten years.');
    expect((await agent.post(host, '/org/fetch-runs', { amount: '2', unit: 'weeks' })).status).toBe(400);
    const estimate = await agent.get(host, '/org/fetch-runs/estimate.json?amount=0&unit=days');
    expect(estimate.status).toBe(400);
    expect(JSON.parse(estimate.body)).toEqual({ error: 'Enter a whole number of 1 or more.' });
    expect(await db().runFetch.count({ where: { orgId: org.id } })).toBe(0);
  });

  it('estimates the requests against the hourly budget, archives included', async () => {
    const { agent, host } = await adminOf();
    const page = await agent.get(host, '/org/fetch-runs');
    expect(page.status).toBe(200);
    expect(page.body).toContain('data-estimate-src="/org/fetch-runs/estimate.json"');
    expect(page.body).toContain('/static/js/fetch-runs.js');
    expect((await agent.get(host, '/org/sync')).body).toContain('href="/org/fetch-runs"');

    const short = JSON.parse((await agent.get(host, '/org/fetch-runs/estimate.json?amount=12&unit=hours')).body);
    // Two listings (flows, archives) and at least one page per tracked poll.
    expect(short).toMatchObject({ requests: 5, archiveFiles: 0, hourlyBudget: 1250 });
    expect(short.text).toBe('About 5 API requests, 0.4% of this organization’s hourly budget (1250 requests per hour).');
    const long = JSON.parse((await agent.get(host, '/org/fetch-runs/estimate.json?amount=40&unit=days')).body);
    expect(long.archiveFiles).toBeGreaterThan(0);
    expect(long.text).toContain('archive files');
  });

  it('queues a fetch, shows its progress and report, and refuses a second one meanwhile', async () => {
    const { org, admin, agent, host } = await adminOf();
    const posted = await agent.post(host, '/org/fetch-runs', { amount: '3', unit: 'days' });
    expect(posted.status).toBe(303);
    expect(posted.location).toBe('/org/fetch-runs');
    const row = await db().runFetch.findFirstOrThrow({ where: { orgId: org.id } });
    expect(row).toMatchObject({ status: 'queued', requestedById: admin.id });
    expect(Math.abs(row.since.getTime() - (Date.now() - 3 * 86_400_000))).toBeLessThan(60_000);
    const job = await getQueue('sync').getJob(fetchRunsTask.jobId(row.id));
    expect(job?.data).toEqual({ orgId: org.id, runFetchId: row.id });
    await job!.remove();

    const page = await agent.get(host, '/org/fetch-runs');
    expect(page.body).toContain('Fetch scheduled');
    expect(page.body).toContain('data-active="true"');
    const busy = await agent.post(host, '/org/fetch-runs', { amount: '1', unit: 'hours' });
    expect(busy.status).toBe(409);
    expect(busy.body).toContain('A fetch is already under way');

    await fetchRunsTask.perform({ orgId: org.id, runFetchId: row.id });
    const { fetches } = JSON.parse((await agent.get(host, '/org/fetch-runs.json')).body);
    expect(fetches).toHaveLength(1);
    expect(fetches[0]).toMatchObject({ id: row.id, status: 'done', statusLabel: 'Done', active: false, percent: 100 });
    expect(fetches[0].polls).toHaveLength(3);
    expect(fetches[0].polls.every((p: { percent: number }) => p.percent === 100)).toBe(true);
    expect(fetches[0].log.at(-1)).toMatch(/^Done: created/);
    const done = await agent.get(host, '/org/fetch-runs');
    expect(done.body).toContain('data-active="false"');
    expect(done.body).toContain('Done: created');
  });

  it('works in a right-to-left language', async () => {
    const { agent, host } = await adminOf({ language: 'fa' });
    const page = await agent.get(host, '/org/fetch-runs');
    expect(page.status).toBe(200);
    expect(page.body).toContain('dir="rtl"');
  });
});
