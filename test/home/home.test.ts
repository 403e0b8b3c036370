import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '../../src/db/client.js';
import { checkCounters, squashCounterDeltas } from '../../src/db/counters.js';
import type { Org, PollRun, Role } from '../../src/generated/prisma/client.js';
import { formatDate } from '../../src/lib/dates.js';
import { regionLinks, visibleForRegion } from '../../src/pollruns/startRules.js';
import { orgDb } from '../../src/tenancy/orgDb.js';
import { buildOrg, buildUser, TEST_PASSWORD } from '../support/factories.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { contactIn, countQueries, daysAgo, homeOrg, pollNamed, pollRun, recountMostActive, recountStatuses, respond } from './support.js';

let app: TestServer;
beforeAll(async () => {
  app = await startTestServer();
});
afterAll(() => app.close());

const API = ['/api/pollruns/latest', '/api/regions/most-active', '/api/groups/most-active'];

async function signedIn(org: Org, role: Role, regionIds: number[] = []) {
  const user = await buildUser(org, { role });
  for (const regionId of regionIds) await orgDb(org.id).regionAccess.create({ data: { orgId: org.id, userId: user.id, regionId } });
  const agent = app.agent();
  await agent.signIn(user.email, TEST_PASSWORD);
  const host = agent.host(org.subdomain);
  return { agent, host, json: async (path: string) => JSON.parse((await agent.get(host, path)).body) as { count: number; results: unknown[] } };
}

/** The text of each body row's cells of the table labelled by `labelId`. */
function tableRows(html: string, labelId: string): string[][] {
  const table = new RegExp(`<table[^>]*aria-labelledby="${labelId}"[^>]*>([\\s\\S]*?)</table>`).exec(html)?.[1] ?? '';
  const body = /<tbody>([\s\S]*?)<\/tbody>/.exec(table)?.[1] ?? '';
  return [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((row) =>
    [...row[1]!.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((cell) => cell[1]!.replace(/<[^>]+>/g, '').replace(/\s+/g, ' ').trim()));
}

/**
 * A busy org: responses in North, North One, South and East over three poll runs, a superseded
 * response, an inactive contact, an old poll run, and an untracked poll.
 */
async function busyOrg() {
  const s = await homeOrg();
  const { org, north, northOne, south, east, teachers, nurses, poll } = s;
  const other = await pollNamed(org, 'Attendance');
  await pollNamed(org, 'Not Followed', { isActive: false });
  const n1 = await contactIn(org, north.id, [teachers.id]);
  const n2 = await contactIn(org, north.id, [teachers.id, nurses.id]);
  const n3 = await contactIn(org, north.id);
  const o1 = await contactIn(org, northOne.id, [nurses.id]);
  const s1 = await contactIn(org, south.id, [teachers.id]);
  const s2 = await contactIn(org, south.id, [nurses.id]);
  const e1 = await contactIn(org, east.id, [nurses.id]);
  const gone = await contactIn(org, south.id, [teachers.id]);

  const old = await pollRun(org, poll.id, 'universal', null, daysAgo(45));
  for (const c of [n1, e1, s1]) await respond(old, c, 'C', daysAgo(44));
  const weekly = await pollRun(org, poll.id, 'universal', null, daysAgo(6));
  await respond(weekly, n1, 'C', daysAgo(5));
  await respond(weekly, n2, 'P', daysAgo(5));
  await respond(weekly, n3, 'C', daysAgo(4), false);
  await respond(weekly, n3, 'E', daysAgo(3));
  await respond(weekly, o1, 'C', daysAgo(5));
  await respond(weekly, s1, 'E', daysAgo(5));
  await respond(weekly, s2, 'P', daysAgo(2));
  await respond(weekly, gone, 'C', daysAgo(2));
  const southRun = await pollRun(org, other.id, 'regional', south.id, daysAgo(3));
  await respond(southRun, s1, 'C', daysAgo(1));
  await respond(southRun, s2, 'C', daysAgo(1));
  const northOneRun = await pollRun(org, other.id, 'propagated', northOne.id, daysAgo(2));
  await respond(northOneRun, o1, 'P', daysAgo(1));
  await db().contact.update({ where: { id: gone.id }, data: { isActive: false } });
  return { ...s, other, runs: { old, weekly, southRun, northOneRun } };
}

describe('home: who may', () => {
  it('sends the signed-out to sign-in, answers 404 to another org, and lets viewers read', async () => {
    const { org } = await homeOrg();
    const anonymous = app.agent();
    for (const path of ['/', ...API]) {
      const res = await anonymous.get(anonymous.host(org.subdomain), path);
      expect(res.status, path).toBe(303);
      expect(res.location).toBe(`/login?next=${encodeURIComponent(path)}`);
    }
    const outsider = await signedIn(await buildOrg(), 'admin');
    for (const path of ['/', ...API]) expect((await outsider.agent.get(outsider.agent.host(org.subdomain), path)).status, path).toBe(404);
    const viewer = await signedIn(org, 'viewer');
    for (const path of ['/', ...API]) expect((await viewer.agent.get(viewer.host, path)).status, path).toBe(200);
  });

  it('shows a user without regions the notice of §17.2 and no data, and answers the JSON widgets with empty lists', async () => {
    const s = await busyOrg();
    const supervisor = await signedIn(s.org, 'supervisor');
    const page = await supervisor.agent.get(supervisor.host, '/');
    expect(page.status).toBe(200);
    expect(page.body).toContain('You have no access to any region yet');
    expect(page.body).not.toContain('Weekly School Poll');
    expect(page.body).not.toContain('action="/pollruns"');
    for (const path of API) expect(await supervisor.json(path), path).toEqual({ count: 0, results: [] });
  });
});

describe('most active regions and reporter groups (spec §15.3)', () => {
  it('gives the worked example: North 3, South 1, East only old → [North 3, South 1]', async () => {
    const { org, north, south, east, poll } = await homeOrg();
    const run = await pollRun(org, poll.id, 'universal', null, daysAgo(10));
    for (const status of ['C', 'C', 'P'] as const) await respond(run, await contactIn(org, north.id), status, daysAgo(3));
    await respond(run, await contactIn(org, south.id), 'E', daysAgo(3));
    await respond(run, await contactIn(org, south.id), 'P', daysAgo(3));
    const old = await pollRun(org, poll.id, 'universal', null, daysAgo(60));
    await respond(old, await contactIn(org, east.id), 'C', daysAgo(59));
    const admin = await signedIn(org, 'admin');
    expect(await admin.json('/api/regions/most-active')).toEqual({
      count: 2, results: [{ id: north.id, name: 'North', responseCount: 3 }, { id: south.id, name: 'South', responseCount: 1 }],
    });
    expect((await admin.json('/api/regions/most-active')).results).toEqual(await recountMostActive(org.id, 'region', null));
  });

  it('equal a plain recount, before and after the deltas are folded, and never count another org', async () => {
    const s = await busyOrg();
    const twin = await busyOrg();
    expect((await checkCounters(s.org.id)).mismatched).toBe(0);
    const admin = await signedIn(s.org, 'admin');
    for (const round of ['deltas', 'squashed']) {
      if (round === 'squashed') await squashCounterDeltas();
      const regions = await admin.json('/api/regions/most-active');
      const groups = await admin.json('/api/groups/most-active');
      expect(regions.results, round).toEqual(await recountMostActive(s.org.id, 'region', null));
      expect(groups.results, round).toEqual(await recountMostActive(s.org.id, 'group', null));
      // North: n1 C, n2 P (n3's complete response is superseded by an empty one); North One: o1 twice;
      // South: s2 P, s1 C, s2 C (the inactive contact's response is not counted); East: only old.
      expect(regions).toEqual({
        count: 3,
        results: [
          { id: s.south.id, name: 'South', responseCount: 3 },
          { id: s.north.id, name: 'North', responseCount: 2 },
          { id: s.northOne.id, name: 'North One', responseCount: 2 },
        ],
      });
      expect(groups.results).toEqual([
        { id: s.nurses.id, name: 'Nurses', responseCount: 5 },
        { id: s.teachers.id, name: 'Teachers', responseCount: 3 },
      ]);
      const ids = [...regions.results, ...groups.results].map((r) => (r as { id: number }).id);
      for (const id of [twin.north.id, twin.south.id, twin.teachers.id]) expect(ids).not.toContain(id);
    }
  });

  it('are limited to the region context: a supervisor of North sees North and North One only', async () => {
    const s = await busyOrg();
    const supervisor = await signedIn(s.org, 'supervisor', [s.north.id]);
    const mine = [s.north.id, s.northOne.id];
    expect((await supervisor.json('/api/regions/most-active')).results).toEqual(await recountMostActive(s.org.id, 'region', mine));
    expect((await supervisor.json('/api/regions/most-active')).results).toEqual([
      { id: s.north.id, name: 'North', responseCount: 2 }, { id: s.northOne.id, name: 'North One', responseCount: 2 },
    ]);
    expect((await supervisor.json('/api/groups/most-active')).results).toEqual(await recountMostActive(s.org.id, 'group', mine));
    expect((await supervisor.json('/api/groups/most-active')).results).toEqual([
      { id: s.nurses.id, name: 'Nurses', responseCount: 3 }, { id: s.teachers.id, name: 'Teachers', responseCount: 2 },
    ]);
    // An admin who picks South sees South's figures only.
    const admin = await signedIn(s.org, 'admin');
    expect((await admin.agent.post(admin.host, '/session/region', { region: String(s.south.id) })).status).toBe(303);
    expect((await admin.json('/api/regions/most-active')).results).toEqual([{ id: s.south.id, name: 'South', responseCount: 3 }]);
    expect((await admin.json('/api/groups/most-active')).results).toEqual(await recountMostActive(s.org.id, 'group', [s.south.id]));
  });

  it('count whole org-local days: the day holding now − 30 days is in, the day before is out', async () => {
    const { org, north, south, poll } = await homeOrg();
    const run = await pollRun(org, poll.id, 'universal', null, daysAgo(40));
    // Kigali is UTC+2: the org-local day of (now − 30 days) starts at local midnight.
    const { rows: [edge] } = await (await import('../../src/db/pool.js')).pgPool().query<{ start: Date }>(
      `SELECT (date_trunc('day', (now() - interval '30 days') AT TIME ZONE 'Africa/Kigali') AT TIME ZONE 'Africa/Kigali') AS start`);
    await respond(run, await contactIn(org, north.id), 'C', new Date(edge!.start.getTime() + 60_000));
    await respond(run, await contactIn(org, south.id), 'C', new Date(edge!.start.getTime() - 60_000));
    const admin = await signedIn(org, 'admin');
    expect((await admin.json('/api/regions/most-active')).results).toEqual([{ id: north.id, name: 'North', responseCount: 1 }]);
    expect((await admin.json('/api/regions/most-active')).results).toEqual(await recountMostActive(org.id, 'region', null));
  });
});

describe('latest poll runs (spec §18.1)', () => {
  /** The poll runs of tracked polls visible for a region, newest first, by the rule of §12.1. */
  async function expectedLatest(org: Org, region: number | null, sub: boolean) {
    const runs = await db().pollRun.findMany({ where: { orgId: org.id, poll: { isActive: true } }, orderBy: [{ conductedOn: 'desc' }, { id: 'desc' }] });
    const links = regionLinks(await db().region.findMany({ where: { orgId: org.id, isActive: true } }));
    return runs.filter((r) => visibleForRegion(r, region, sub, links)).slice(0, 5);
  }

  it('answers the 5 newest visible poll runs in the shape of §18.1, with status counts equal to a plain recount', async () => {
    const s = await busyOrg();
    for (let i = 0; i < 3; i++) await pollRun(s.org, s.poll.id, 'universal', null, daysAgo(20 + i));
    const admin = await signedIn(s.org, 'admin');
    const answer = await admin.json('/api/pollruns/latest');
    const expected = await expectedLatest(s.org, null, true);
    const counts = await recountStatuses(s.org.id, expected.map((r) => r.id), null);
    const regionName = (id: number | null) => [s.north, s.northOne, s.south, s.east].find((r) => r.id === id)?.name;
    expect(answer).toEqual({
      count: 5,
      results: expected.map((r) => ({
        id: r.id,
        poll: { id: r.pollId, name: r.pollId === s.poll.id ? 'Weekly School Poll' : 'Attendance' },
        conductedOn: r.conductedOn.toISOString(),
        region: r.regionId === null ? null : { id: r.regionId, name: regionName(r.regionId) },
        responses: counts.get(r.id),
      })),
    });
    expect(answer.results[0]).toMatchObject({ id: s.runs.northOneRun.id, responses: { E: 0, P: 1, C: 0 } });
    expect(answer.results[2]).toMatchObject({ id: s.runs.weekly.id, responses: { E: 2, P: 2, C: 2 } });
  });

  it('lists for a supervisor of North only poll runs visible there, counting only North\'s contacts', async () => {
    const s = await busyOrg();
    const supervisor = await signedIn(s.org, 'supervisor', [s.north.id]);
    const answer = await supervisor.json('/api/pollruns/latest');
    const expected = await expectedLatest(s.org, s.north.id, true);
    expect(answer.results.map((r) => (r as PollRun).id)).toEqual(expected.map((r) => r.id));
    expect(answer.results.map((r) => (r as PollRun).id)).not.toContain(s.runs.southRun.id);
    const counts = await recountStatuses(s.org.id, expected.map((r) => r.id), [s.north.id, s.northOne.id]);
    for (const r of answer.results as { id: number; responses: unknown }[]) expect(r.responses).toEqual(counts.get(r.id));
    expect((answer.results as { id: number; responses: unknown }[]).find((r) => r.id === s.runs.weekly.id)?.responses).toEqual({ E: 1, P: 1, C: 2 });
  });
});

describe('the home page', () => {
  it('shows each tracked poll\'s latest visible poll run with its participation, the latest poll runs and the active tables, equal to a recount', async () => {
    const s = await busyOrg();
    await pollNamed(s.org, 'Quiet Poll');
    const admin = await signedIn(s.org, 'admin');
    const page = await admin.agent.get(admin.host, '/');
    expect(page.status).toBe(200);
    const date = (run: PollRun) => formatDate(run.conductedOn, 'Africa/Kigali', 'en');
    const counts = await recountStatuses(s.org.id, [s.runs.weekly.id, s.runs.northOneRun.id], null);
    const row = (name: string, run: PollRun, region: string) => {
      const c = counts.get(run.id)!;
      const total = c.E + c.P + c.C;
      return [name, date(run), region, String(c.E), String(c.P), String(c.C), `${Math.floor((100 * c.C) / total)}%`];
    };
    expect(tableRows(page.body, 'home-polls')).toEqual([
      row('Attendance', s.runs.northOneRun, 'North One'),
      ['Quiet Poll', 'Not conducted yet'],
      row('Weekly School Poll', s.runs.weekly, 'All'),
    ]);
    expect(tableRows(page.body, 'home-polls')[2]).toEqual(['Weekly School Poll', date(s.runs.weekly), 'All', '2', '2', '2', '33%']);
    expect(page.body).not.toContain('Not Followed');
    expect(tableRows(page.body, 'latest-runs')[0]).toEqual([date(s.runs.northOneRun), 'Attendance', 'North One', '1', '0 (1)']);
    expect(tableRows(page.body, 'latest-runs')[2]).toEqual([date(s.runs.weekly), 'Weekly School Poll', 'All', '6', '2 (2)']);
    for (const tab of ['', '/participation', '/responses']) expect(page.body).toContain(`href="/pollruns/${s.runs.weekly.id}${tab}"`);
    expect(page.body).toContain('href="/pollruns">View all');
    const active = (rows: { name: string; responseCount: number }[]) => rows.map((r) => [r.name, String(r.responseCount)]);
    expect(tableRows(page.body, 'active-regions')).toEqual(active(await recountMostActive(s.org.id, 'region', null)));
    expect(tableRows(page.body, 'active-groups')).toEqual(active(await recountMostActive(s.org.id, 'group', null)));
    expect(page.body).toContain('<script src="/static/js/home.js" type="module">');
  });

  it('shows a supervisor of North its own poll runs and counts only', async () => {
    const s = await busyOrg();
    const supervisor = await signedIn(s.org, 'supervisor', [s.north.id]);
    const page = await supervisor.agent.get(supervisor.host, '/');
    const rows = tableRows(page.body, 'home-polls');
    // Attendance's newest poll run (North One, propagated) is visible in North with sub-regions.
    expect(rows.map((r) => r[0])).toEqual(['Attendance', 'Weekly School Poll']);
    expect(rows[1]).toEqual(['Weekly School Poll', formatDate(s.runs.weekly.conductedOn, 'Africa/Kigali', 'en'), 'All', '1', '1', '2', '50%']);
    expect(page.body).not.toContain(`href="/pollruns/${s.runs.southRun.id}"`);
    expect(tableRows(page.body, 'active-regions')).toEqual([['North', '2'], ['North One', '2']]);
    expect(page.body).not.toContain('>South<');
    // Without sub-regions, North One's poll run is out of sight (§12.1) and its contacts are not counted.
    expect((await supervisor.agent.post(supervisor.host, '/session/include-subregions', { value: '0' })).status).toBe(303);
    const narrow = await supervisor.agent.get(supervisor.host, '/');
    expect(tableRows(narrow.body, 'home-polls')).toEqual([
      ['Attendance', 'Not conducted yet'],
      ['Weekly School Poll', formatDate(s.runs.weekly.conductedOn, 'Africa/Kigali', 'en'), 'All', '1', '1', '1', '33%'],
    ]);
    expect(tableRows(narrow.body, 'active-regions')).toEqual([['North', '2']]);
  });

  it('runs at most 20 SQL statements, for an admin and for a supervisor', async () => {
    const s = await busyOrg();
    for (const [role, regions] of [['admin', []], ['supervisor', [s.north.id]]] as const) {
      const user = await signedIn(s.org, role, [...regions]);
      await user.agent.get(user.host, '/');
      const statements = await countQueries(async () => expect((await user.agent.get(user.host, '/')).status).toBe(200));
      // The counter sees the statements (session user, org, membership and region look-ups come first).
      expect(statements, role).toBeGreaterThan(5);
      expect(statements, role).toBeLessThanOrEqual(20);
      for (const path of API) expect(await countQueries(() => user.agent.get(user.host, path)), `${role} ${path}`).toBeLessThanOrEqual(10);
    }
  });
});
