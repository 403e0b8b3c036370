import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pgPool } from '../../src/db/pool.js';
import { buildDashboardOrg, buildDayOfRuns, parseCsv, signedIn } from '../exports/support.js';
import { startTestServer, type TestServer } from '../support/server.js';

let app: TestServer;
beforeAll(async () => {
  app = await startTestServer();
});
afterAll(() => app.close());

/** The responses tab's rows: date, contact, region, groups, then one cell per question. */
function tabRows(html: string): string[][] {
  const body = html.slice(html.indexOf('<tbody>'), html.indexOf('</tbody>'));
  return [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].filter((row) => !row[1]!.includes('colspan')).map((row) =>
    [...row[1]!.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((cell) => {
      const audio = /<audio[^>]*src="([^"]+)"/.exec(cell[1]!);
      return audio ? audio[1]! : cell[1]!.replace(/<[^>]+>/g, '').trim().replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
    }));
}

/**
 * The rows a plain query selects for the tab (spec §12.4 responsesOf with includeEmpty = false):
 * active responses of active contacts in the regions, not empty, newest change first.
 */
async function recount(orgId: number, pollRunId: number, regionIds: number[], includeSuperseded = false) {
  const { rows } = await pgPool().query<{ name: string }>(
    `SELECT c.name FROM responses r JOIN contacts c ON c.id = r.contact_id
     WHERE r.org_id = $1 AND r.poll_run_id = $2 AND c.is_active AND c.region_id = ANY($3::int[]) AND r.status <> 'E'
       AND ($4 OR r.is_active)
     ORDER BY r.updated_on DESC, r.id DESC`,
    [orgId, pollRunId, regionIds, includeSuperseded],
  );
  return rows.map((r) => r.name);
}

describe('the responses tab and its CSV', () => {
  it('show the same answers: the tab the active responses with valueToUse, the CSV every submission with raw values (§17.8, §19)', async () => {
    const s = await buildDashboardOrg();
    const run = await buildDayOfRuns(s);
    const admin = await signedIn(app, s.org, 'admin');

    const page = await admin.agent.get(admin.host, `/pollruns/${run.id}/responses`);
    expect(page.status).toBe(200);
    expect(page.body).toContain('class="table-responsive"');
    expect(page.body).toContain('Responses of contacts in every region.');
    const rows = tabRows(page.body);
    expect(rows.map((r) => r[1])).toEqual(await recount(s.org.id, run.id, [s.north.id, s.northOne.id, s.south.id]));
    expect(rows).toEqual([
      ['Mar 05, 2024, 14:09', 'Amélie Uwase', 'North', 'Nurses, Teachers', '12', 'Rainy', 'Hello, "world" — ça va', '--'],
      ['Mar 05, 2024, 13:35', 'Okafor, Chidi', 'North One', 'Teachers', '--', '--', '=1+2', '--'],
      ['Mar 05, 2024, 13:05', 'Cat North', 'North', '', '7', 'sunny', '--', 'https://rapidpro.example/media/cat.m4a'],
    ]);
    expect(page.body).toContain('<audio controls');
    expect(page.body).toContain(`href="/contacts/${s.contacts.amina.id}"`);
    expect(page.body).not.toContain('Hidden one');

    const csv = await admin.agent.get(admin.host, `/pollruns/${run.id}/responses.csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toBe('attachment; filename="responses.csv"');
    expect(csv.body.startsWith('\uFEFF"Date","Name","URN","Region","Reporter groups","Pupils","Weather","Comment","Voice note"\r\n')).toBe(true);
    expect(csv.body).toContain('"Mar 05, 2024 14:09","Amélie Uwase","tel:+250788000111","North","Nurses, Teachers","12","Rainy","Hello, ""world"" — ça va",\r\n');
    const lines = parseCsv(csv.body);
    expect(lines.slice(1).map((l) => l[1])).toEqual(await recount(s.org.id, run.id, [s.north.id, s.northOne.id, s.south.id], true));
    expect(lines.slice(1)).toEqual([
      ['Mar 05, 2024 14:09', 'Amélie Uwase', 'tel:+250788000111', 'North', 'Nurses, Teachers', '12', 'Rainy', 'Hello, "world" — ça va', ''],
      ['Mar 05, 2024 13:35', 'Okafor, Chidi', s.contacts.chidi.urn!, 'North One', 'Teachers', '', '', "'=1+2", ''],
      ['Mar 05, 2024 13:05', 'Cat North', s.contacts.cat.urn!, 'North', '', '7', 'sunny', '', 'https://rapidpro.example/media/cat.m4a'],
      // Amina's first run of the day, superseded, with its own raw value (the tab shows the day's last, 12).
      ['Mar 05, 2024 11:01', 'Amélie Uwase', 'tel:+250788000111', 'North', 'Nurses, Teachers', '10', '', '', ''],
    ]);
    // The CSV holds the tab's rows (the active responses) with the same answers, dates to the minute.
    const tabAsCsv = rows.map((r) => [r[0]!.replace(', 2024,', ', 2024'), r[1], r[2], r[3], ...r.slice(4).map((v) => (v === '--' ? '' : v))]);
    const active = lines.slice(1, 4).map((l) => [l[0], l[1], l[3], l[4], ...l.slice(5).map((v) => v.replace(/^'=/, '='))]);
    expect(active).toEqual(tabAsCsv);
  });

  it('limit rows to the region context (sub-regions on and off) and to contact field and reporter group filters', async () => {
    const s = await buildDashboardOrg();
    const run = await buildDayOfRuns(s);
    const supervisor = await signedIn(app, s.org, 'supervisor', [s.north.id]);
    const names = async (query: string) => tabRows((await supervisor.agent.get(supervisor.host, `/pollruns/${run.id}/responses${query}`)).body).map((r) => r[1]);
    const csvNames = async (query: string) => parseCsv((await supervisor.agent.get(supervisor.host, `/pollruns/${run.id}/responses.csv${query}`)).body).slice(1).map((r) => r[1]);

    expect(await names('')).toEqual(await recount(s.org.id, run.id, [s.north.id, s.northOne.id]));
    expect(await names(`?region=${s.north.id}&sub=0`)).toEqual(['Amélie Uwase', 'Cat North']);
    expect(await csvNames(`?region=${s.north.id}&sub=0`)).toEqual(['Amélie Uwase', 'Cat North', 'Amélie Uwase']);
    expect(await names(`?region=${s.northOne.id}`)).toEqual(['Okafor, Chidi']);
    expect(await names('?contact_district=gAsAbO')).toEqual(['Amélie Uwase', 'Cat North']);
    expect(await csvNames('?contact_district=gasabo')).toEqual(['Amélie Uwase', 'Cat North', 'Amélie Uwase']);
    expect(await names('?contact_district=%25')).toEqual([]);
    expect(await names(`?group=${s.teachers.id}`)).toEqual(['Amélie Uwase', 'Okafor, Chidi']);
    const filtered = await supervisor.agent.get(supervisor.host, `/pollruns/${run.id}/responses?contact_district=gasabo&group=${s.teachers.id}`);
    expect(tabRows(filtered.body).map((r) => r[1])).toEqual(['Amélie Uwase']);
    expect(filtered.body).toContain('Responses of contacts in North and its sub-regions.');
    // The tabs keep the filters and the region context.
    expect(filtered.body).toContain(`href="/pollruns/${run.id}/participation?group=${s.teachers.id}&amp;contact_district=gasabo&amp;region=${s.north.id}&amp;sub=1"`);
    // A viewer reads responses but gets no contact links.
    const viewer = await signedIn(app, s.org, 'viewer');
    const seen = await viewer.agent.get(viewer.host, `/pollruns/${run.id}/responses`);
    expect(tabRows(seen.body)).toHaveLength(3);
    expect(seen.body).not.toContain('href="/contacts/');
  });

  it('pages by 25, newest change first', async () => {
    const s = await buildDashboardOrg();
    const { buildContact } = await import('../contacts/support.js');
    const many = [];
    for (let i = 0; i < 27; i++) many.push(await buildContact(s.org, { name: `Reporter ${String(i).padStart(2, '0')}`, regionId: s.south.id }));
    await s.ingest(many.map((contact, i) => ({ contact, created: `2024-04-01T08:${String(i).padStart(2, '0')}:00Z`, answers: { pupils: [String(i), null, 0] } })));
    const admin = await signedIn(app, s.org, 'admin');
    const run = (await pgPool().query<{ id: number }>('SELECT id FROM poll_runs WHERE org_id = $1', [s.org.id])).rows[0]!;
    const first = tabRows((await admin.agent.get(admin.host, `/pollruns/${run.id}/responses`)).body);
    const second = await admin.agent.get(admin.host, `/pollruns/${run.id}/responses?page=2`);
    expect(first).toHaveLength(25);
    expect(first[0]![1]).toBe('Reporter 26');
    expect(tabRows(second.body).map((r) => r[1])).toEqual(['Reporter 01', 'Reporter 00']);
    expect(second.body).toContain('Page 2 of 2');
  });
});
