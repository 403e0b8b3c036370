import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '../../src/db/client.js';
import { buildDashboardOrg, buildDayOfRuns, signedIn } from '../exports/support.js';
import { buildOrg } from '../support/factories.js';
import { startTestServer, type TestServer } from '../support/server.js';

let app: TestServer;
beforeAll(async () => {
  app = await startTestServer();
});
afterAll(() => app.close());

const TABS = ['/participation', '/responses', '/responses.csv', '/map', '?group=1'];

describe('poll-run pages: who may see them', () => {
  it('send the signed-out to sign-in and hide the org from outsiders', async () => {
    const s = await buildDashboardOrg();
    const run = await buildDayOfRuns(s);
    const paths = ['/pollruns', `/polls/${s.poll.id}/pollruns`, ...TABS.map((tab) => `/pollruns/${run.id}${tab}`)];
    const anonymous = app.agent();
    for (const path of paths) {
      expect((await anonymous.get(anonymous.host(s.org.subdomain), path)).location).toBe(`/login?next=${encodeURIComponent(path)}`);
    }
    const outsider = await signedIn(app, await buildOrg(), 'admin');
    for (const path of paths) expect((await outsider.agent.get(outsider.agent.host(s.org.subdomain), path)).status).toBe(404);
  });

  it('give 404 for another org\'s poll run or poll, an untracked poll, and a poll run outside a supervisor\'s region', async () => {
    const s = await buildDashboardOrg();
    const run = await buildDayOfRuns(s);
    const other = await buildDashboardOrg();
    const foreign = await buildDayOfRuns(other);
    const admin = await signedIn(app, s.org, 'admin');
    for (const tab of ['', ...TABS]) {
      expect((await admin.agent.get(admin.host, `/pollruns/${foreign.id}${tab}`)).status).toBe(404);
      expect((await admin.agent.get(admin.host, `/pollruns/abc${tab}`)).status).toBe(404);
    }
    expect((await admin.agent.get(admin.host, `/polls/${other.poll.id}/pollruns`)).status).toBe(404);
    await db().poll.update({ where: { id: s.poll.id }, data: { isActive: false } });
    expect((await admin.agent.get(admin.host, `/polls/${s.poll.id}/pollruns`)).status).toBe(404);
    expect((await admin.agent.get(admin.host, `/pollruns/${run.id}/participation`)).status).toBe(404);
    await db().poll.update({ where: { id: s.poll.id }, data: { isActive: true } });

    const southRun = await db().pollRun.create({ data: { orgId: s.org.id, pollId: s.poll.id, type: 'regional', regionId: s.south.id, conductedOn: new Date('2024-03-08T08:00:00Z') } });
    const north = await signedIn(app, s.org, 'supervisor', [s.north.id]);
    for (const tab of ['', ...TABS]) expect((await north.agent.get(north.host, `/pollruns/${southRun.id}${tab}`)).status).toBe(404);
    // A region-started run of North One is outside North when sub-regions are off.
    const childRun = await db().pollRun.create({ data: { orgId: s.org.id, pollId: s.poll.id, type: 'regional', regionId: s.northOne.id, conductedOn: new Date('2024-03-09T08:00:00Z') } });
    expect((await north.agent.get(north.host, `/pollruns/${childRun.id}/responses`)).status).toBe(200);
    for (const tab of TABS) expect((await north.agent.get(north.host, `/pollruns/${childRun.id}${tab}${tab.includes('?') ? '&' : '?'}region=${s.north.id}&sub=0`)).status).toBe(404);
    // Viewers read every poll-run page.
    const viewer = await signedIn(app, s.org, 'viewer');
    for (const path of ['/pollruns', `/polls/${s.poll.id}/pollruns`, `/pollruns/${run.id}/participation`, `/pollruns/${run.id}/responses`, `/pollruns/${run.id}/responses.csv`]) {
      expect((await viewer.agent.get(viewer.host, path)).status).toBe(200);
    }
  });

  it('keep the filters and region context in the tab links and the CSV button', async () => {
    const s = await buildDashboardOrg();
    const run = await buildDayOfRuns(s);
    const admin = await signedIn(app, s.org, 'admin');
    const page = await admin.agent.get(admin.host, `/pollruns/${run.id}/participation?groupBy=region&contact_district=Gasabo&region=${s.north.id}&sub=0`);
    const query = `contact_district=Gasabo&amp;region=${s.north.id}&amp;sub=0`;
    for (const path of ['', '/participation', '/responses', '/responses.csv', '/map']) expect(page.body).toContain(`href="/pollruns/${run.id}${path}?${query}"`);
    expect(page.body).toContain(`Weekly Survey — Mar 05, 2024`);
    expect(page.body).toContain('Started by: RapidPro');
    expect(page.body).toContain('Region: All');
  });
});
