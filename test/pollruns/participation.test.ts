import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '../../src/db/client.js';
import { pgPool } from '../../src/db/pool.js';
import type { Org } from '../../src/generated/prisma/client.js';
import { selectPolls } from '../../src/polls/pollSelector.js';
import type { RunningSimulator } from '../../src/rapidpro/simulator/index.js';
import { buildDashboardOrg, buildDayOfRuns, signedIn } from '../exports/support.js';
import { startTestSimulator } from '../rapidpro/support.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { connectedOrg, syncNow } from '../sync/support.js';

type Counts = [number, number, number];

let app: TestServer;
let sim: RunningSimulator;
let synced: Org;
beforeAll(async () => {
  app = await startTestServer();
  sim = await startTestSimulator({ contacts: 120, weeks: 4, activity: false });
  ({ org: synced } = await connectedOrg(sim));
  await syncNow(synced.id, 'contacts');
  await syncNow(synced.id, 'flows');
  const polls = await db().poll.findMany({ where: { orgId: synced.id } });
  await selectPolls(synced.id, polls.map((p) => p.id));
  await syncNow(synced.id, 'flows');
  await syncNow(synced.id, 'runs');
  // A region tree, so that sub-regions matter: the second region goes under the first.
  const [parent, child] = await db().region.findMany({ where: { orgId: synced.id, isActive: true }, orderBy: { name: 'asc' } });
  await db().region.update({ where: { id: child!.id }, data: { parentId: parent!.id } });
});
afterAll(async () => {
  await app.close();
  await sim.close();
});

/** The participation table as the page shows it: row name → [E, P, C], and the totals row. */
function table(html: string): { rows: Map<string, Counts>; total: Counts } {
  const rows = new Map<string, Counts>();
  for (const m of html.matchAll(/<tr data-counts="(\d+),(\d+),(\d+)">\s*<th scope="row" class="fw-normal">([^<]*)<\/th>/g)) {
    rows.set(m[4]!.replace(/&amp;/g, '&'), [Number(m[1]), Number(m[2]), Number(m[3])]);
  }
  const total = /<tfoot[^>]*><tr data-counts="(\d+),(\d+),(\d+)">/.exec(html)!;
  return { rows, total: [Number(total[1]), Number(total[2]), Number(total[3])] };
}

const triple = (m: Map<string, number> | undefined): Counts => [m?.get('E') ?? 0, m?.get('P') ?? 0, m?.get('C') ?? 0];

/**
 * Participation worked out with plain SQL over responses and contacts (spec §15.1): active
 * responses of active contacts whose region is among the regions, per reporter group (each
 * active group the contact belongs to) or per region, and over the distinct responses.
 */
async function recount(orgId: number, pollRunId: number, regionIds: number[]) {
  const base = `FROM responses r JOIN contacts c ON c.id = r.contact_id
                WHERE r.org_id = $1 AND r.poll_run_id = $2 AND r.is_active AND c.is_active AND c.region_id = ANY($3::int[])`;
  const query = async (select: string, from: string) => {
    const { rows } = await pgPool().query<{ key: string; status: string; n: number }>(`SELECT ${select} AS key, r.status::text AS status, count(*)::int AS n ${from} GROUP BY 1, 2`, [orgId, pollRunId, regionIds]);
    const out = new Map<string, Map<string, number>>();
    for (const row of rows) out.set(row.key, (out.get(row.key) ?? new Map()).set(row.status, row.n));
    return out;
  };
  const byGroup = await query('g.name', base.replace('WHERE', 'JOIN contact_reporter_groups m ON m.contact_id = c.id JOIN reporter_groups g ON g.id = m.reporter_group_id AND g.is_active WHERE'));
  const byRegion = await query('rg.name', base.replace('WHERE', 'JOIN regions rg ON rg.id = c.region_id WHERE'));
  const total = await query(`'total'`, base);
  const named = (m: Map<string, Map<string, number>>) => new Map([...m].map(([k, v]) => [k, triple(v)]).filter(([, c]) => (c as Counts).some((n) => n > 0)) as [string, Counts][]);
  return { byGroup: named(byGroup), byRegion: named(byRegion), total: triple(total.get('total')) };
}

describe('the participation tab', () => {
  it('counts complete, partial and no response per reporter group and region, totals over distinct responses (§15.1)', async () => {
    const s = await buildDashboardOrg();
    const run = await buildDayOfRuns(s);
    const admin = await signedIn(app, s.org, 'admin');
    const byGroup = await admin.agent.get(admin.host, `/pollruns/${run.id}/participation`);
    expect(byGroup.status).toBe(200);
    // Amina (both groups) complete, Chidi partial, Ben empty, Cat complete (no group); Dan left.
    expect(table(byGroup.body)).toEqual({ rows: new Map([['Nurses', [1, 0, 1]], ['Teachers', [0, 1, 1]]]), total: [1, 1, 2] });
    expect(byGroup.body).toMatch(/<tfoot[\s\S]*50%/);
    const byRegion = await admin.agent.get(admin.host, `/pollruns/${run.id}/participation?groupBy=region`);
    expect(table(byRegion.body)).toEqual({ rows: new Map([['North', [0, 0, 2]], ['North One', [0, 1, 0]], ['South', [1, 0, 0]]]), total: [1, 1, 2] });

    const supervisor = await signedIn(app, s.org, 'supervisor', [s.north.id]);
    const north = await supervisor.agent.get(supervisor.host, `/pollruns/${run.id}/participation`);
    expect(table(north.body)).toEqual({ rows: new Map([['Nurses', [0, 0, 1]], ['Teachers', [0, 1, 1]]]), total: [0, 1, 2] });
    const only = await supervisor.agent.get(supervisor.host, `/pollruns/${run.id}/participation?groupBy=region&region=${s.north.id}&sub=0`);
    expect(table(only.body)).toEqual({ rows: new Map([['North', [0, 0, 2]]]), total: [0, 0, 2] });
    // Supervisors see the starts; viewers read participation only.
    expect(north.body).toContain('This poll run was not started from TracPro.');
    const viewer = await signedIn(app, s.org, 'viewer');
    const read = await viewer.agent.get(viewer.host, `/pollruns/${run.id}/participation`);
    expect(read.status).toBe(200);
    expect(read.body).not.toContain('Starts');
  });

  it('equals a plain SQL recount on synced data, by group and by region, for every region, with and without sub-regions', async () => {
    const admin = await signedIn(app, synced, 'admin');
    const regions = await db().region.findMany({ where: { orgId: synced.id, isActive: true }, orderBy: { name: 'asc' } });
    const runs = await pgPool().query<{ id: number }>(
      `SELECT poll_run_id AS id FROM responses WHERE org_id = $1 GROUP BY 1 ORDER BY count(*) DESC LIMIT 2`, [synced.id]);
    expect(runs.rows.length).toBeGreaterThan(0);
    const contexts: { query: string; regionIds: number[] }[] = [{ query: 'region=all', regionIds: regions.map((r) => r.id) }];
    const parent = regions.find((r) => regions.some((c) => c.parentId === r.id))!;
    contexts.push({ query: `region=${parent.id}&sub=1`, regionIds: regions.filter((r) => r.id === parent.id || r.parentId === parent.id).map((r) => r.id) });
    contexts.push({ query: `region=${parent.id}&sub=0`, regionIds: [parent.id] });
    let compared = 0;
    for (const { id } of runs.rows) {
      for (const context of contexts) {
        const expected = await recount(synced.id, id, context.regionIds);
        const groups = table((await admin.agent.get(admin.host, `/pollruns/${id}/participation?${context.query}`)).body);
        expect(groups.rows).toEqual(expected.byGroup);
        expect(groups.total).toEqual(expected.total);
        const byRegion = table((await admin.agent.get(admin.host, `/pollruns/${id}/participation?groupBy=region&${context.query}`)).body);
        expect(byRegion.rows).toEqual(expected.byRegion);
        expect(byRegion.total).toEqual(expected.total);
        compared += expected.total.reduce((a, b) => a + b, 0);
      }
    }
    expect(compared).toBeGreaterThan(20);
  });
});

describe('poll-run lists', () => {
  it('list the visible poll runs newest first with participants and responses equal to a recount (§15.2)', async () => {
    const admin = await signedIn(app, synced, 'admin');
    const regions = await db().region.findMany({ where: { orgId: synced.id, isActive: true } });
    const parent = regions.find((r) => regions.some((c) => c.parentId === r.id))!;
    for (const [query, regionIds] of [['region=all', regions.map((r) => r.id)], [`region=${parent.id}&sub=0`, [parent.id]]] as const) {
      const page = await admin.agent.get(admin.host, `/pollruns?${query}`);
      expect(page.status).toBe(200);
      const listed = [...page.body.matchAll(/<tr data-run="(\d+)" data-counts="(\d+),(\d+),(\d+)">/g)].map((m) => ({ id: Number(m[1]), counts: [Number(m[2]), Number(m[3]), Number(m[4])] }));
      expect(listed.length).toBe(Math.min(25, await db().pollRun.count({ where: { orgId: synced.id } })));
      expect(listed.some((r) => r.counts.some((n) => n > 0))).toBe(true);
      const newest = await db().pollRun.findMany({ where: { orgId: synced.id }, orderBy: [{ conductedOn: 'desc' }, { id: 'desc' }], take: 25 });
      expect(listed.map((r) => r.id)).toEqual(newest.map((r) => r.id));
      for (const row of listed) expect(row.counts).toEqual((await recount(synced.id, row.id, [...regionIds])).total);
      expect(page.body).toContain('href="/org/fetch-runs"');
    }
    const poll = await db().poll.findFirstOrThrow({ where: { orgId: synced.id, pollRuns: { some: {} } } });
    const ofPoll = await admin.agent.get(admin.host, `/polls/${poll.id}/pollruns`);
    const ids = [...ofPoll.body.matchAll(/<tr data-run="(\d+)"/g)].map((m) => Number(m[1]));
    const expected = await db().pollRun.findMany({ where: { orgId: synced.id, pollId: poll.id }, orderBy: [{ conductedOn: 'desc' }, { id: 'desc' }], take: 25 });
    expect(ids).toEqual(expected.map((r) => r.id));
  });

  it('show a region-started poll run only where it is visible (§12.1), with "C (P)" responses', async () => {
    const s = await buildDashboardOrg();
    const universal = await buildDayOfRuns(s);
    const regional = await db().pollRun.create({ data: { orgId: s.org.id, pollId: s.poll.id, type: 'regional', regionId: s.northOne.id, conductedOn: new Date('2024-03-06T08:00:00Z') } });
    const southRun = await db().pollRun.create({ data: { orgId: s.org.id, pollId: s.poll.id, type: 'regional', regionId: s.south.id, conductedOn: new Date('2024-03-07T08:00:00Z') } });
    const supervisor = await signedIn(app, s.org, 'supervisor', [s.north.id]);
    const ids = async (query: string) => [...(await supervisor.agent.get(supervisor.host, `/pollruns${query}`)).body.matchAll(/<tr data-run="(\d+)"/g)].map((m) => Number(m[1]));
    expect(await ids('')).toEqual([regional.id, universal.id]);
    expect(await ids(`?region=${s.north.id}&sub=0`)).toEqual([universal.id]);
    expect(await ids(`?region=${s.south.id}`)).toEqual([regional.id, universal.id]);
    const admin = await signedIn(app, s.org, 'admin');
    const all = await admin.agent.get(admin.host, '/pollruns');
    expect([...all.body.matchAll(/<tr data-run="(\d+)"/g)].map((m) => Number(m[1]))).toEqual([southRun.id, regional.id, universal.id]);
    // Universal: 4 participants (Amina, Chidi, Ben, Cat), 2 complete and 1 partial.
    expect(all.body).toMatch(new RegExp(`<tr data-run="${universal.id}"[\\s\\S]*?All[\\s\\S]*?>4</a>[\\s\\S]*?>2 \\(1\\)</a>`));
    const viewer = await signedIn(app, s.org, 'viewer');
    const read = await viewer.agent.get(viewer.host, '/pollruns');
    expect(read.status).toBe(200);
    expect(read.body).not.toContain('href="/org/fetch-runs"');
  });
});
