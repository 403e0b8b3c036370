import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '../../src/db/client.js';
import { pgPool } from '../../src/db/pool.js';
import { buildContact } from '../contacts/support.js';
import { buildDashboardOrg, buildDayOfRuns, signedIn } from '../exports/support.js';
import { buildOrg } from '../support/factories.js';
import { startTestServer, type TestServer } from '../support/server.js';

let app: TestServer;
beforeAll(async () => {
  app = await startTestServer();
});
afterAll(() => app.close());

/** The matrix as the page shows it: poll run ids of the columns, then contact id → marks. */
function matrix(html: string) {
  const runs = [...html.matchAll(/<th scope="col" class="text-center" data-run="(\d+)">/g)].map((m) => Number(m[1]));
  const rows = [...html.matchAll(/<tr data-contact="(\d+)" data-marks="([^"]*)">/g)].map((m) => [Number(m[1]), m[2]!.split(',').filter(Boolean)] as const);
  return { runs, rows };
}

/**
 * The matrix worked out with plain SQL: active contacts of the regions by name, and for each poll
 * run the status of their active response (C, P; E or none → N).
 */
async function recount(orgId: number, regionIds: number[], runIds: number[]) {
  const { rows: contacts } = await pgPool().query<{ id: number }>(
    'SELECT id FROM contacts WHERE org_id = $1 AND is_active AND region_id = ANY($2::int[]) ORDER BY name, id LIMIT 25', [orgId, regionIds]);
  const { rows: responses } = await pgPool().query<{ poll_run_id: number; contact_id: number; status: string }>(
    'SELECT poll_run_id, contact_id, status::text FROM responses WHERE org_id = $1 AND is_active AND poll_run_id = ANY($2::int[])', [orgId, runIds]);
  const status = new Map(responses.map((r) => [`${r.poll_run_id}:${r.contact_id}`, r.status]));
  return contacts.map((c) => [c.id, runIds.map((run) => {
    const s = status.get(`${run}:${c.id}`);
    return s === 'C' || s === 'P' ? s : 'N';
  })] as const);
}

describe('participation across polls', () => {
  it('shows the latest five visible poll runs × the contacts of the region context, equal to a recount', async () => {
    const s = await buildDashboardOrg();
    const first = await buildDayOfRuns(s);
    const { amina, chidi, ben } = s.contacts;
    // Five more days of runs: the oldest day drops out of the matrix.
    for (let day = 6; day <= 10; day++) {
      await s.ingest([
        { contact: amina, created: `2024-03-${String(day).padStart(2, '0')}T08:00:00Z`, complete: day % 2 === 0, answers: { pupils: [String(day), null, 1] } },
        { contact: chidi, created: `2024-03-${String(day).padStart(2, '0')}T09:00:00Z` },
        ...(day === 10 ? [{ contact: ben, created: '2024-03-10T10:00:00Z', answers: { comment: ['ok', null, 1] as [string, null, number] } }] : []),
      ]);
    }
    const runs = await db().pollRun.findMany({ where: { orgId: s.org.id }, orderBy: [{ conductedOn: 'desc' }, { id: 'desc' }] });
    expect(runs).toHaveLength(6);
    const latest = runs.slice(0, 5).map((r) => r.id);
    expect(latest).not.toContain(first.id);

    const admin = await signedIn(app, s.org, 'admin');
    const page = await admin.agent.get(admin.host, '/participation');
    expect(page.status).toBe(200);
    expect(page.body).toContain('Weekly Survey (2024-03-10)');
    const shown = matrix(page.body);
    expect(shown.runs).toEqual(latest);
    expect(shown.rows).toEqual(await recount(s.org.id, [s.north.id, s.northOne.id, s.south.id], latest));
    expect(shown.rows.find(([id]) => id === amina.id)![1].join(',')).toBe('C,P,C,P,C');
    expect(shown.rows.find(([id]) => id === ben.id)![1].join(',')).toBe('P,N,N,N,N');
    expect(page.body).toContain('<span class="visually-hidden">Partial</span>');
    expect(page.body).toContain(`href="/contacts/${amina.id}"`);

    const supervisor = await signedIn(app, s.org, 'supervisor', [s.north.id]);
    const north = matrix((await supervisor.agent.get(supervisor.host, `/participation?region=${s.north.id}&sub=0`)).body);
    expect(north.rows).toEqual(await recount(s.org.id, [s.north.id], latest));
    expect(north.rows.map(([id]) => id)).toEqual([amina.id, s.contacts.cat.id]);

    const viewer = await signedIn(app, s.org, 'viewer');
    const read = await viewer.agent.get(viewer.host, '/participation?search=cat');
    expect(matrix(read.body).rows.map(([id]) => id)).toEqual([s.contacts.cat.id]);
    expect(read.body).not.toContain('href="/contacts/');
  });

  it('pages contacts by 25 in name order, keeping the search', async () => {
    const s = await buildDashboardOrg();
    await buildDayOfRuns(s);
    for (let i = 0; i < 26; i++) await buildContact(s.org, { name: `Zed ${String(i).padStart(2, '0')}`, regionId: s.south.id });
    const admin = await signedIn(app, s.org, 'admin');
    const first = await admin.agent.get(admin.host, '/participation?search=zed');
    expect(matrix(first.body).rows).toHaveLength(25);
    expect(first.body).toContain('href="?search=zed&amp;page=2"');
    const second = matrix((await admin.agent.get(admin.host, '/participation?search=zed&page=2')).body);
    expect(second.rows).toHaveLength(1);
    expect(second.rows[0]![1]).toEqual(['N']);
  });

  it('refuses the signed-out and other orgs, and shows a user without regions nobody', async () => {
    const s = await buildDashboardOrg();
    await buildDayOfRuns(s);
    const anonymous = app.agent();
    for (const path of ['/participation', '/participation.csv']) {
      expect((await anonymous.get(anonymous.host(s.org.subdomain), path)).location).toBe(`/login?next=${encodeURIComponent(path)}`);
    }
    const outsider = await signedIn(app, await buildOrg(), 'admin');
    for (const path of ['/participation', '/participation.csv']) expect((await outsider.agent.get(outsider.agent.host(s.org.subdomain), path)).status).toBe(404);
    const lost = await signedIn(app, s.org, 'supervisor');
    const page = await lost.agent.get(lost.host, '/participation');
    expect(page.status).toBe(200);
    expect(matrix(page.body).rows).toEqual([]);
    const csv = await lost.agent.get(lost.host, '/participation.csv');
    expect(csv.body.replace(/^\uFEFF/, '').trim()).toBe('"Name","URN","Region"');
  });
});
