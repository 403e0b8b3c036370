import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerTotals, responseCounts } from '../../src/db/chartReads.js';
import { db } from '../../src/db/client.js';
import { squashCounterDeltas } from '../../src/db/counters.js';
import { redis, redisKey } from '../../src/db/redis.js';
import { pgPool, withPgTransaction } from '../../src/db/pool.js';
import { formatDate } from '../../src/lib/dates.js';
import { applyRunPage } from '../../src/db/pollRunIngest.js';
import type { Org, Poll, Question, Region, User } from '../../src/generated/prisma/client.js';
import { allCategories, categorize, naturalSort, type StoredRule } from '../../src/polls/rules.js';
import type { RunningSimulator } from '../../src/rapidpro/simulator/index.js';
import { buildOrg, buildUser, TEST_PASSWORD } from '../support/factories.js';
import type { TestAgent } from '../support/http.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { startTestSimulator } from '../rapidpro/support.js';
import { answerTexts, boundaryRows, categoryCounts, histogramOf, numericStats, referenceWordCloud, summaryOf, type RecountStat, type Selection } from './pollChartsRecount.js';
import { dashboardOrg } from './pollChartsSupport.js';

const TIME_ZONE = 'Africa/Nairobi';
const YEAR = 'dateRange=custom&startDate=2024-01-01&endDate=2024-12-31';

let app: TestServer;
let sim: RunningSimulator;
let org: Org;
let supervisor: User;
let poll: Poll;
let numeric: Question;
let categorical: Question;
let open: Question;
let regions: Region[];
let groups: { id: number; name: string }[];
let regionalRun: number;
let admin: User;

const regionNamed = (name: string) => regions.find((r) => r.name === name)!;

async function signedIn(user: User) {
  const agent = app.agent();
  await agent.signIn(user.email, TEST_PASSWORD);
  return { agent, host: agent.host(org.subdomain) };
}

async function getJson(agent: TestAgent, host: string, path: string) {
  const response = await agent.get(host, path, { Accept: 'application/json' });
  expect(response.status, `${path}: ${response.body.slice(0, 200)}`).toBe(200);
  return JSON.parse(response.body);
}

/**
 * A contact answers one question again the same day, in a newer run that supersedes its response.
 * @returns the superseded answer and the new one.
 */
async function answerAgain(question: Question, value: string, runUuid: string) {
  const answer = await db().answer.findFirstOrThrow({
    where: { orgId: org.id, questionId: question.id, counted: true, value: { not: '0' } },
    include: { response: { include: { contact: true, pollRun: true } } },
    orderBy: { id: 'asc' },
  });
  const { response } = answer;
  const later = new Date(answer.submittedOn.getTime() + 60_000);
  await withPgTransaction((client) => applyRunPage(client, org.id, [{
    pollId: response.pollId, contactUuid: response.contact.uuid, startUuid: null, createdOn: later, updatedOn: later,
    localDay: response.pollRun.localDay!.toISOString().slice(0, 10), status: 'C', exitType: 'completed', exitedOn: later,
    runUuid, modifiedOn: new Date().toISOString(),
    answers: [{ questionId: question.id, value, category: answer.category, submittedOn: later, localDay: answer.localDay.toISOString().slice(0, 10) }],
  }]));
  const again = await db().answer.findFirstOrThrow({ where: { orgId: org.id, questionId: question.id, counted: true, value, submittedOn: later } });
  return { before: answer, after: again };
}

beforeAll(async () => {
  [app, sim] = await Promise.all([startTestServer(), startTestSimulator({ contacts: 200, weeks: 16, activity: false })]);
  ({ org, supervisor } = await dashboardOrg(sim, { timezone: TIME_ZONE }));
  poll = await db().poll.findFirstOrThrow({ where: { orgId: org.id, rapidproName: 'Weekly School Poll' } });
  const questions = await db().question.findMany({ where: { pollId: poll.id } });
  numeric = questions.find((q) => q.type === 'numeric')!;
  categorical = questions.find((q) => q.type === 'multiple_choice')!;
  open = questions.find((q) => q.type === 'open')!;
  regions = await db().region.findMany({ where: { orgId: org.id }, orderBy: { name: 'asc' } });
  admin = await buildUser(org, { role: 'admin' });
  groups = await db().reporterGroup.findMany({ where: { orgId: org.id }, select: { id: true, name: true }, orderBy: { name: 'asc' } });
  // Two answers of one contact on one day: the active answer's two same-day values differ.
  const { after } = await answerAgain(numeric, '7', '00000000-0000-4000-8000-0000000da7a1');
  expect(after.sumValue).not.toBe(after.lastValue);
  // A run started for one region only: charted when that region is picked, never for "All regions".
  regionalRun = (await db().pollRun.create({ data: { orgId: org.id, pollId: poll.id, type: 'regional', regionId: regionNamed('Kide').id, conductedOn: new Date('2024-06-12T09:00:00Z') } })).id;
}, 180_000);
afterAll(async () => {
  await Promise.all([app?.close(), sim?.close()]);
});

/** The poll runs the poll page charts, worked out plainly: in the org-local date range, universal/spoofed for all regions. */
async function expectedRuns(range: [string, string], region: number | null) {
  const runs = await db().pollRun.findMany({ where: { orgId: org.id, pollId: poll.id }, orderBy: [{ conductedOn: 'asc' }, { id: 'asc' }] });
  const day = (d: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE }).format(d);
  return runs
    .filter((r) => day(r.conductedOn) >= range[0] && day(r.conductedOn) <= range[1])
    .filter((r) => (region === null ? r.regionId === null : r.regionId === null || r.regionId === region))
    .map((r) => ({ id: r.id, date: day(r.conductedOn) }));
}

/** The leading category per boundary of a multiple-choice question, recounted (spec §13.7 step 3), with its category list. */
async function expectedLeading(question: Question, s: Selection) {
  const rules = question.rules as unknown as StoredRule[];
  const tagged = await boundaryRows(org.id, question.id, s, 'value');
  const seen = [...tagged.categories.values()].flatMap((c) => [...c.keys()]);
  const list = allCategories(rules, seen);
  const leading = Object.fromEntries([...tagged.categories].flatMap(([id, byCategory]) => {
    const ranked = [...byCategory].filter(([c]) => c).sort((a, b) => b[1] - a[1] || list.indexOf(a[0]!) - list.indexOf(b[0]!));
    return ranked.length ? [[id, { category: ranked[0]![0] }]] : [];
  }));
  return { leading, list };
}

const metric = (stats: RecountStat[], runIds: number[], pick: (s: RecountStat) => number, regionId: number | null = null) =>
  runIds.map((id) => { const s = stats.find((x) => x.runId === id && x.regionId === regionId); return s ? pick(s) : 0; });

interface Scenario {
  name: string;
  user: () => User | Promise<User>;
  query: () => string;
  range: [string, string];
  region: () => number | null;
  selection: () => Omit<Selection, 'runIds'>;
}

const SCENARIOS: Scenario[] = [
  { name: 'all regions', user: () => admin, query: () => YEAR, range: ['2024-01-01', '2024-12-31'], region: () => null, selection: () => ({}) },
  {
    name: 'a region picked in the link, a reporter group',
    user: () => admin,
    query: () => `${YEAR}&region=${regionNamed('Kima').id}&sub=1&group=${groups.find((g) => g.name === 'Parents')!.id}`,
    range: ['2024-01-01', '2024-12-31'],
    region: () => regionNamed('Kima').id,
    selection: () => ({ regionIds: [regionNamed('Kima').id], group: groups.find((g) => g.name === 'Parents')!.id }),
  },
  {
    name: 'a supervisor\'s region and a contact field',
    user: () => supervisor,
    query: () => `${YEAR}&contact_gender=FEM`,
    range: ['2024-01-01', '2024-12-31'],
    region: () => regions[0]!.id,
    selection: () => ({ regionIds: [regions[0]!.id], field: ['gender', 'FEM'] }),
  },
  {
    name: 'a region with its own poll run, a date range, a group and a field',
    user: () => admin,
    query: () => `dateRange=custom&startDate=2024-05-01&endDate=2024-06-30&region=${regionNamed('Kide').id}&sub=0&group=${groups[1]!.id}&contact_age=4`,
    range: ['2024-05-01', '2024-06-30'],
    region: () => regionNamed('Kide').id,
    selection: () => ({ regionIds: [regionNamed('Kide').id], group: groups[1]!.id, field: ['age', '4'] }),
  },
];

describe('poll page charts equal a plain recount (spec §13.2–13.5, §13.7)', () => {
  for (const scenario of SCENARIOS) {
    it(`numeric, categorical, word cloud and maps: ${scenario.name}, both same-day modes`, async () => {
      const { agent, host } = await signedIn(await scenario.user());
      const runs = await expectedRuns(scenario.range, scenario.region());
      const runIds = runs.map((r) => r.id);
      expect(runIds.length).toBeGreaterThan(0);
      expect(runIds.includes(regionalRun)).toBe(scenario.region() === regionNamed('Kide').id);
      const s: Selection = { runIds, ...scenario.selection() };
      const base = `/polls/${poll.id}`;

      for (const mode of ['use_last', 'sum'] as const) {
        await db().org.update({ where: { id: org.id }, data: { settings: { sameDayMode: mode } } });
        const column = mode === 'sum' ? 'sum_value' : 'last_value';
        const stats = await numericStats(org.id, numeric.id, s, column);
        const chart = await getJson(agent, host, `${base}/charts/${numeric.id}.json?${scenario.query()}`);
        expect(chart.dates).toEqual(runs.map((r) => r.date));
        expect(chart.sum).toEqual([{ name: numeric.rapidproName, data: metric(stats, runIds, (x) => x.sum) }]);
        expect(chart.average).toEqual([{ name: numeric.rapidproName, data: metric(stats, runIds, (x) => x.avg) }]);
        expect(chart.stdev).toEqual([{ name: numeric.rapidproName, data: metric(stats, runIds, (x) => x.stdev) }]);
        expect(chart['response-rate']).toEqual([{ name: numeric.rapidproName, data: metric(stats, runIds, (x) => x.rate) }]);
        expect(chart.pollrunUrls).toHaveLength(runIds.length);
        chart.pollrunUrls.forEach((url: string, i: number) => expect(url).toMatch(new RegExp(`^/pollruns/${runIds[i]}\\?`)));
        chart.participationUrls.forEach((url: string, i: number) => expect(url).toMatch(new RegExp(`^/pollruns/${runIds[i]}/participation\\?`)));

        const byRegion = await numericStats(org.id, numeric.id, s, column, true);
        const split = await getJson(agent, host, `${base}/charts/${numeric.id}.json?${scenario.query()}&splitByRegion=on`);
        const shown = regions.filter((r) => byRegion.some((x) => x.regionId === r.id && x.responses > 0));
        expect(split.sum).toEqual(shown.map((r) => ({ name: r.name, data: metric(byRegion, runIds, (x) => x.sum, r.id) })));
        expect(split.average).toEqual(shown.map((r) => ({ name: r.name, data: metric(byRegion, runIds, (x) => x.avg, r.id) })));
        expect(split.stdev).toEqual(shown.map((r) => ({ name: r.name, data: metric(byRegion, runIds, (x) => x.stdev, r.id) })));
        expect(split['response-rate']).toEqual(shown.map((r) => ({ name: r.name, data: metric(byRegion, runIds, (x) => x.rate, r.id) })));

        const summary = await summaryOf(stats, runIds);
        const page = await agent.get(host, `${base}?${scenario.query()}`);
        expect(page.status).toBe(200);
        const section = page.body.slice(page.body.indexOf(`id="question-${numeric.id}"`));
        const cells = [...section.matchAll(/<td class="text-end">([^<]*)<\/td>/g)].slice(0, 3).map((m) => m[1]);
        const one = new Intl.NumberFormat('en', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
        expect(cells).toEqual([one.format(summary.mean), one.format(summary.stdev), one.format(summary.rateAverage)]);

        const rules = numeric.rules as unknown as StoredRule[];
        const tagged = await boundaryRows(org.id, numeric.id, s, column);
        const expectedMap = Object.fromEntries([...tagged.averages].map(([id, average]) => [id, { average, value: Number(average), category: categorize(rules, average) }]));
        const map = await agent.get(host, `${base}/maps/${numeric.id}.json?${scenario.query()}`, { Accept: 'application/json' });
        if (!Object.keys(expectedMap).length) expect(map.status).toBe(404);
        else {
          const body = JSON.parse(map.body);
          expect(body.mapData).toEqual(expectedMap);
          const seen = [...tagged.categories.values()].flatMap((c) => [...c.keys()]);
          expect(body.allCategories).toEqual(allCategories(rules, seen));
        }
      }

      const counts = await categoryCounts(org.id, categorical.id, s);
      const categories = naturalSort(new Set(counts.map((c) => c.category)));
      const categoricalChart = await getJson(agent, host, `${base}/charts/${categorical.id}.json?${scenario.query()}`);
      expect(categoricalChart.series).toEqual(categories.map((category) => ({
        name: category ?? 'No category',
        data: runIds.map((id, i) => ({ y: counts.find((c) => c.runId === id && c.category === category)?.answers ?? 0, url: categoricalChart.pollrunUrls[i] })),
      })));

      const cloud = await getJson(agent, host, `${base}/charts/${open.id}.json?${scenario.query()}`);
      expect(cloud.words).toEqual(referenceWordCloud(await answerTexts(org.id, open.id, s)));

      const { leading, list } = await expectedLeading(categorical, s);
      const map = await agent.get(host, `${base}/maps/${categorical.id}.json?${scenario.query()}`, { Accept: 'application/json' });
      if (!Object.keys(leading).length) expect(map.status).toBe(404);
      else expect(JSON.parse(map.body)).toMatchObject({ mapData: leading, allCategories: list });
    });
  }
});

describe('poll-run summary charts equal a plain recount (spec §13.6, D7)', () => {
  for (const scenario of SCENARIOS) {
    it(`histogram, pie, word cloud, map and summary: ${scenario.name}`, async () => {
      const { agent, host } = await signedIn(await scenario.user());
      const runs = (await expectedRuns(scenario.range, scenario.region())).filter((r) => r.id !== regionalRun);
      const s0 = scenario.selection();
      // The poll run with the most selected responses, so there is something to draw.
      const stats = await numericStats(org.id, numeric.id, { runIds: runs.map((r) => r.id), ...s0 }, 'last_value');
      const run = [...stats].sort((a, b) => b.responses - a.responses)[0]!.runId;
      const s: Selection = { runIds: [run], ...s0 };
      const query = scenario.query().replace(/(^|&)(dateRange|startDate|endDate)=[^&]*/g, '');
      for (const mode of ['use_last', 'sum'] as const) {
        await db().org.update({ where: { id: org.id }, data: { settings: { sameDayMode: mode } } });
        const column = mode === 'sum' ? 'sum_value' : 'last_value';
        const bar = await getJson(agent, host, `/pollruns/${run}/charts/${numeric.id}.json?${query}`);
        expect(bar).toMatchObject({ kind: 'bar', ...(await histogramOf(org.id, numeric.id, s, column)) });
        const [stat] = await numericStats(org.id, numeric.id, s, column);
        const page = await agent.get(host, `/pollruns/${run}?${query}`);
        expect(page.status).toBe(200);
        const section = page.body.slice(page.body.indexOf(`id="question-${numeric.id}"`));
        const cells = [...section.matchAll(/<td class="text-end">([^<]*)<\/td>/g)].slice(0, 3).map((m) => m[1]);
        const one = new Intl.NumberFormat('en', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
        expect(cells).toEqual([one.format(stat!.avg), one.format(stat!.stdev), one.format(stat!.rate)]);
      }
      const counts = (await categoryCounts(org.id, categorical.id, s)).filter((c) => c.answers > 0);
      const order = naturalSort(counts.map((c) => c.category));
      const pie = await getJson(agent, host, `/pollruns/${run}/charts/${categorical.id}.json?${query}`);
      expect(pie).toMatchObject({ kind: 'pie', categories: order.map((c) => c ?? 'No category'), data: order.map((c) => counts.find((x) => x.category === c)!.answers) });
      const cloud = await getJson(agent, host, `/pollruns/${run}/charts/${open.id}.json?${query}`);
      expect(cloud).toMatchObject({ kind: 'wordcloud', words: referenceWordCloud(await answerTexts(org.id, open.id, s)) });
      const tagged = await boundaryRows(org.id, numeric.id, s, 'sum_value');
      const map = await agent.get(host, `/pollruns/${run}/maps/${numeric.id}.json?${query}`, { Accept: 'application/json' });
      const numericRules = numeric.rules as unknown as StoredRule[];
      if (!tagged.averages.size) expect(map.status).toBe(404);
      else expect(JSON.parse(map.body).mapData).toEqual(Object.fromEntries([...tagged.averages].map(([id, average]) => [id, { average, value: Number(average), category: categorize(numericRules, average) }])));
      const { leading, list } = await expectedLeading(categorical, s);
      const categoricalMap = await agent.get(host, `/pollruns/${run}/maps/${categorical.id}.json?${query}`, { Accept: 'application/json' });
      if (!Object.keys(leading).length) expect(categoricalMap.status).toBe(404);
      else expect(JSON.parse(categoricalMap.body)).toMatchObject({ mapData: leading, allCategories: list });

      // The Map tab draws every question with map data, with the tab's filters.
      const tab = await agent.get(host, `/pollruns/${run}/map?${query}`);
      expect(tab.status).toBe(200);
      const sources = [...tab.body.matchAll(/data-chart="map" data-src="([^"]+)"/g)].map((m) => m[1]!.replace(/&amp;/g, '&'));
      const mapped = [...(tagged.averages.size ? [numeric.id] : []), ...(Object.keys(leading).length ? [categorical.id] : [])];
      expect(sources.map((src) => Number(/maps\/(\d+)\.json/.exec(src)![1])).sort()).toEqual(mapped.sort());
      if (scenario.name === 'all regions') expect(mapped).toHaveLength(2);
      for (const src of sources) expect(src).toContain(query.includes('contact_') ? `contact_${scenario.selection().field![0]}=` : 'region=');
    });
  }

  it('draws menu, keypad and recording questions as category bars equal to a recount (§13.6)', async () => {
    const { agent, host } = await signedIn(admin);
    const run = (await expectedRuns(['2024-01-01', '2024-12-31'], null)).at(-1)!.id;
    const group = groups[0]!.id;
    const s: Selection = { runIds: [run], group };
    const counts = (await categoryCounts(org.id, categorical.id, s)).filter((c) => c.answers > 0);
    expect(counts.length).toBeGreaterThan(0);
    const order = naturalSort(counts.map((c) => c.category));
    try {
      for (const type of ['menu', 'keypad', 'recording'] as const) {
        await db().question.update({ where: { id: categorical.id }, data: { type } });
        const bar = await getJson(agent, host, `/pollruns/${run}/charts/${categorical.id}.json?group=${group}`);
        expect(bar).toMatchObject({ kind: 'bar', categories: order.map((c) => c ?? 'No category'), data: order.map((c) => counts.find((x) => x.category === c)!.answers) });
        expect(bar.table.rows).toEqual(order.map((c) => [c ?? 'No category', counts.find((x) => x.category === c)!.answers]));
        const page = await agent.get(host, `/pollruns/${run}?group=${group}`);
        expect(page.body).toContain(`data-chart="bar" data-src="/pollruns/${run}/charts/${categorical.id}.json?`);
      }
    } finally {
      await db().question.update({ where: { id: categorical.id }, data: { type: categorical.type } });
    }
  });
});

describe('the poll list (spec §17.7)', () => {
  it('counts the poll runs visible for the region context and shows the latest, for an admin and a supervisor', async () => {
    const visible = async (regionIds: number[] | null) => {
      const { rows } = await pgPool().query<{ poll_id: number; runs: number; last: Date }>(
        `SELECT pr.poll_id, count(*)::int AS runs, max(pr.conducted_on) AS last FROM poll_runs pr JOIN polls p ON p.id = pr.poll_id AND p.is_active
         WHERE pr.org_id = $1 AND ($2::int[] IS NULL OR pr.region_id IS NULL OR pr.region_id = ANY($2::int[])) GROUP BY 1`,
        [org.id, regionIds],
      );
      return new Map(rows.map((r) => [r.poll_id, r]));
    };
    const tracked = await db().poll.findMany({ where: { orgId: org.id, isActive: true } });
    const supervisorRegions = (await db().regionAccess.findMany({ where: { orgId: org.id, userId: supervisor.id } })).map((a) => a.regionId);
    for (const [user, regionIds] of [[admin, null], [supervisor, supervisorRegions]] as const) {
      const { agent, host } = await signedIn(user);
      const page = await agent.get(host, '/polls');
      expect(page.status).toBe(200);
      const expected = await visible(regionIds as number[] | null);
      expect([...expected.values()].some((r) => r.runs > 1)).toBe(true);
      for (const p of tracked) {
        const row = page.body.slice(page.body.indexOf(`<a href="/polls/${p.id}">`));
        const runs = expected.get(p.id)?.runs ?? 0;
        expect(row).toMatch(new RegExp(`^[\\s\\S]*?data-poll-runs="${runs}"><a href="/polls/${p.id}/pollruns">`));
        const last = expected.get(p.id)?.last;
        const cell = /<td class="text-nowrap">([^<]*)<\/td>/.exec(row)![1]!;
        expect(cell).toBe(last ? formatDate(last, TIME_ZONE, 'en') : 'Never');
      }
    }
  });
});

describe('word clouds', () => {
  it('are cached in Redis and recomputed as soon as an answer changes, even when no count does', async () => {
    const { agent, host } = await signedIn(admin);
    const path = `/polls/${poll.id}/charts/${open.id}.json?${YEAR}`;
    const runIds = (await expectedRuns(['2024-01-01', '2024-12-31'], null)).map((r) => r.id);
    await getJson(agent, host, path);
    const keys = await redis().keys(redisKey('wordcloud', org.id, open.id, '*'));
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) {
      const entry = JSON.parse((await redis().get(key))!) as { value: unknown };
      entry.value = [{ text: 'cached', weight: 1 }];
      await redis().set(key, JSON.stringify(entry));
    }
    expect((await getJson(agent, host, path)).words).toEqual([{ text: 'cached', weight: 1 }]);

    const { before } = await answerAgain(open, Array(40).fill('zebra').join(' '), '00000000-0000-4000-8000-00000000eb7a');
    expect((await db().answer.findUniqueOrThrow({ where: { id: before.id } })).counted).toBe(false);
    const fresh = await getJson(agent, host, path);
    expect(fresh.words).toEqual(referenceWordCloud(await answerTexts(org.id, open.id, { runIds })));
    expect(fresh.words[0]).toEqual({ text: 'zebra', weight: 40 });
    await squashCounterDeltas();
    expect((await getJson(agent, host, path)).words).toEqual(fresh.words);
  });
});

describe('histograms', () => {
  it('are cached in Redis per same-day mode and recomputed as soon as a value changes', async () => {
    const { agent, host } = await signedIn(admin);
    await db().org.update({ where: { id: org.id }, data: { settings: { sameDayMode: 'use_last' } } });
    for (const key of await redis().keys(redisKey('histogram', org.id, '*'))) await redis().del(key);
    const changed = await db().answer.findFirstOrThrow({ where: { orgId: org.id, questionId: numeric.id, counted: true, value: { not: '0' } }, orderBy: { id: 'asc' }, include: { response: true } });
    const run = changed.response.pollRunId;
    const path = `/pollruns/${run}/charts/${numeric.id}.json`;
    const recount = async () => ({ kind: 'bar', ...(await histogramOf(org.id, numeric.id, { runIds: [run] }, 'last_value')) });
    expect(await getJson(agent, host, path)).toMatchObject(await recount());
    const keys = await redis().keys(redisKey('histogram', org.id, numeric.id, '*'));
    expect(keys).toHaveLength(1);
    const entry = JSON.parse((await redis().get(keys[0]!))!) as { value: unknown };
    entry.value = [['12345', 1]];
    await redis().set(keys[0]!, JSON.stringify(entry));
    expect((await getJson(agent, host, path)).data).toEqual([1]);

    await answerAgain(numeric, '4321', '00000000-0000-4000-8000-00000000eb7b');
    const fresh = await getJson(agent, host, path);
    expect(fresh).toMatchObject(await recount());
    expect(fresh.categories.join(' ')).toContain('4');
  });
});

describe('a poll page whose dates hold no poll run', () => {
  it('links to the dates of every visible poll run, and that link charts them all', async () => {
    const { agent, host } = await signedIn(admin);
    const all = await expectedRuns(['0000-01-01', '9999-12-31'], null);
    expect(all.length).toBeGreaterThan(1);
    const empty = await agent.get(host, `/polls/${poll.id}?dateRange=custom&startDate=2030-01-01`);
    expect(empty.body).toContain('No poll run in these dates.');
    const link = empty.body.match(/<a href="([^"]+)" data-poll-runs="(\d+)">Show every poll run: /);
    expect(link, 'the whole-range link').not.toBeNull();
    expect(Number(link![2])).toBe(all.length);
    const href = link![1]!.replace(/&amp;/g, '&');
    expect(href).toContain(`startDate=${all[0]!.date}&endDate=${all.at(-1)!.date}`);
    const whole = await agent.get(host, href);
    expect(whole.body).not.toContain('No poll run in these dates.');
    expect(whole.body).toContain('data-chart=');
  });
});

describe('query budget (issue 6: at most 20 queries per page)', () => {
  it('the poll page, the poll-run summary and chart JSON stay within it, with and without contact fields', async () => {
    const { agent, host } = await signedIn(admin);
    const run = (await expectedRuns(['2024-01-01', '2024-12-31'], null))[0]!.id;
    const counted = pg.Client.prototype.query;
    let queries = 0;
    pg.Client.prototype.query = function query(this: pg.Client, ...args: unknown[]) {
      queries += 1;
      return (counted as (...a: unknown[]) => unknown).apply(this, args);
    } as typeof counted;
    try {
      for (const path of [`/polls/${poll.id}?${YEAR}&splitByRegion=on`, `/polls/${poll.id}?${YEAR}&contact_gender=a&region=${regions[0]!.id}`,
        `/pollruns/${run}`, `/pollruns/${run}?contact_gender=a`, `/polls/${poll.id}/charts/${numeric.id}.json?${YEAR}`, `/polls/${poll.id}/maps/${numeric.id}.json?${YEAR}`,
        `/pollruns/${run}/charts/${open.id}.json?contact_age=3`, `/pollruns/${run}/map`, '/polls']) {
        queries = 0;
        expect((await agent.get(host, path)).status, path).toBe(200);
        expect(queries, path).toBeLessThanOrEqual(20);
        expect(queries, path).toBeGreaterThan(5);
      }
    } finally {
      pg.Client.prototype.query = counted;
    }
  });
});

describe('chart routes refuse what the reader may not see', () => {
  it('signed out → sign-in; another org → 404; viewers read', async () => {
    const run = (await expectedRuns(['2024-01-01', '2024-12-31'], null))[0]!.id;
    const paths = [`/polls/${poll.id}`, `/polls/${poll.id}/charts/${numeric.id}.json`, `/polls/${poll.id}/maps/${numeric.id}.json?${YEAR}`,
      `/pollruns/${run}`, `/pollruns/${run}/charts/${numeric.id}.json`, `/pollruns/${run}/maps/${numeric.id}.json`, `/pollruns/${run}/map`, '/api/boundaries', '/polls'];
    const anonymous = app.agent();
    const outsider = app.agent();
    const other = await buildOrg();
    await outsider.signIn((await buildUser(other, { role: 'admin' })).email, TEST_PASSWORD);
    const viewer = await signedIn(await buildUser(org, { role: 'viewer' }));
    for (const path of paths) {
      expect((await anonymous.get(anonymous.host(org.subdomain), path)).status, path).toBe(303);
      expect((await outsider.get(outsider.host(org.subdomain), path)).status, path).toBe(404);
      expect((await viewer.agent.get(viewer.host, path)).status, path).toBe(200);
    }
  });

  it('a supervisor of one region gets 404 for a poll run, its charts and maps outside it, even with another region in the link', async () => {
    const { agent, host } = await signedIn(supervisor);
    const paths = [`/pollruns/${regionalRun}`, `/pollruns/${regionalRun}/charts/${numeric.id}.json`, `/pollruns/${regionalRun}/maps/${numeric.id}.json`, `/pollruns/${regionalRun}/map`,
      `/pollruns/${regionalRun}/responses.csv`];
    for (const path of paths) {
      expect((await agent.get(host, path)).status, path).toBe(404);
      expect((await agent.get(host, `${path}?region=${regionNamed('Kide').id}`)).status, path).toBe(404);
    }
    const admin2 = await signedIn(await buildUser(org, { role: 'admin' }));
    expect((await admin2.agent.get(admin2.host, `/pollruns/${regionalRun}?region=${regionNamed('Kide').id}`)).status).toBe(200);
    // A regional poll run does not cover its region's parent without sub-regions… nor other regions: 404 there too.
    expect((await admin2.agent.get(admin2.host, `/pollruns/${regionalRun}?region=${regionNamed('Kima').id}`)).status).toBe(404);
  });

  it('a supervisor who puts another region in a poll link still reads only their own regions', async () => {
    const { agent, host } = await signedIn(supervisor);
    const kide = regionNamed('Kide').id;
    for (const path of [`/polls/${poll.id}/charts/${numeric.id}.json?${YEAR}`, `/polls/${poll.id}/charts/${open.id}.json?${YEAR}`, `/polls/${poll.id}/maps/${numeric.id}.json?${YEAR}`]) {
      const own = await agent.get(host, path, { Accept: 'application/json' });
      const asked = await agent.get(host, `${path}&region=${kide}&sub=1`, { Accept: 'application/json' });
      expect(asked.status, path).toBe(own.status);
      expect(asked.body, path).toBe(own.body);
    }
    // The admin's chart of Kide holds its own poll run; the supervisor's does not.
    const admin2 = await signedIn(admin);
    const theirs = await getJson(admin2.agent, admin2.host, `/polls/${poll.id}/charts/${numeric.id}.json?${YEAR}&region=${kide}&sub=1`);
    const mine = await getJson(agent, host, `/polls/${poll.id}/charts/${numeric.id}.json?${YEAR}&region=${kide}&sub=1`);
    expect(theirs.pollrunUrls.some((u: string) => u.startsWith(`/pollruns/${regionalRun}?`))).toBe(true);
    expect(mine.pollrunUrls.some((u: string) => u.startsWith(`/pollruns/${regionalRun}?`))).toBe(false);
    // The filter form offers the supervisor's regions only, with no "All regions".
    const page = await agent.get(host, `/polls/${poll.id}?${YEAR}&region=${kide}`);
    const select = /<select class="form-select" id="f-region" name="region">([\s\S]*?)<\/select>/.exec(page.body)![1]!;
    expect(select).not.toContain('value="all"');
    expect(select).not.toContain(`value="${kide}"`);
    expect(select).toContain(`<option value="${regions[0]!.id}" selected>`);
  });

  it('the poll page keeps the region context in its filter form, so the chosen view lands in the URL (§20)', async () => {
    const { agent, host } = await signedIn(admin);
    const plain = await agent.get(host, `/polls/${poll.id}?${YEAR}`);
    expect(plain.body).toContain('<option value="all" selected>All regions</option>');
    expect(plain.body).toContain('<select class="form-select" id="f-sub" name="sub">');
    const kima = regionNamed('Kima').id;
    const chosen = await agent.get(host, `/polls/${poll.id}?${YEAR}&region=${kima}&sub=0`);
    expect(chosen.body).toMatch(new RegExp(`<option value="${kima}" selected>(&nbsp;)*Kima</option>`));
    expect(chosen.body).toContain('<option value="0" selected>This region only</option>');
    expect(chosen.body).not.toContain('<option value="all" selected>');
    // Its charts read that region, without sub-regions, as the link said.
    expect(chosen.body).toContain(`/polls/${poll.id}/charts/${numeric.id}.json?dateRange=custom&amp;startDate=2024-01-01&amp;endDate=2024-12-31&amp;region=${kima}&amp;sub=0`);
    // A poll run's tabs keep the region context in hidden inputs instead.
    const run = (await expectedRuns(['2024-01-01', '2024-12-31'], null))[0]!.id;
    const summary = await agent.get(host, `/pollruns/${run}?region=${kima}&sub=0`);
    expect(summary.body).toContain(`<input type="hidden" name="region" value="${kima}">`);
    expect(summary.body).toContain('<input type="hidden" name="sub" value="0">');
    expect(summary.body).not.toContain('id="f-region"');
  });

  it('untracked polls, questions of other polls and unknown ids → 404', async () => {
    const { agent, host } = await signedIn(admin);
    const untracked = await db().poll.findFirstOrThrow({ where: { orgId: org.id, isActive: false } });
    const untrackedRun = await db().pollRun.create({ data: { orgId: org.id, pollId: untracked.id, type: 'universal', conductedOn: new Date('2024-06-01T00:00:00Z') } });
    const other = await db().question.findFirstOrThrow({ where: { orgId: org.id, pollId: { not: poll.id } } });
    const run = (await expectedRuns(['2024-01-01', '2024-12-31'], null))[0]!.id;
    for (const path of [`/polls/${untracked.id}`, `/polls/${untracked.id}/charts/${numeric.id}.json`, `/pollruns/${untrackedRun.id}`,
      `/polls/${poll.id}/charts/${other.id}.json`, `/pollruns/${run}/charts/${other.id}.json`, `/polls/${poll.id}/charts/abc.json`, `/pollruns/999999999`,
      `/polls/${poll.id}/maps/${open.id}.json`]) {
      expect((await agent.get(host, path)).status, path).toBe(404);
    }
  });

  it('bad filters: the page shows the form errors and no chart; chart JSON answers 400', async () => {
    const { agent, host } = await signedIn(admin);
    const page = await agent.get(host, `/polls/${poll.id}?dateRange=custom&startDate=2024-03-02&endDate=2024-03-01&numeric=median&group=999999`);
    expect(page.status).toBe(200);
    expect(page.body).toContain('The end date must not be before the start date.');
    expect(page.body).toContain('is-invalid');
    expect(page.body).not.toContain('data-chart=');
    expect((await agent.get(host, `/polls/${poll.id}?dateRange=custom`)).body).toContain('Enter a start date, an end date or both.');
    const json = await agent.get(host, `/polls/${poll.id}/charts/${numeric.id}.json?numeric=median`);
    expect(json.status).toBe(400);
    expect(JSON.parse(json.body).error).toMatch(/^numeric: /);
    const run = (await expectedRuns(['2024-01-01', '2024-12-31'], null))[0]!.id;
    expect((await agent.get(host, `/pollruns/${run}/charts/${numeric.id}.json?group=abc`)).status).toBe(400);
    const runPage = await agent.get(host, `/pollruns/${run}?group=999999`);
    expect(runPage.status).toBe(200);
    expect(runPage.body).not.toContain('data-chart=');
  });

  it('serves the org\'s boundaries, highest level first, with cache headers', async () => {
    const { agent, host } = await signedIn(admin);
    const response = await agent.get(host, '/api/boundaries');
    expect(response.headers['cache-control']).toBe('private, max-age=300');
    expect(response.headers.etag).toBeTruthy();
    const { results, order } = JSON.parse(response.body) as { results: Record<string, { type: string; properties: { name: string; level: number }; geometry: unknown }>; order: number[] };
    const stored = await db().boundary.findMany({ where: { orgId: org.id } });
    expect(Object.keys(results).map(Number).sort()).toEqual(stored.map((b) => b.id).sort());
    expect([...order].sort()).toEqual(Object.keys(results).map(Number).sort());
    const levels = order.map((id) => results[id]!.properties.level);
    expect(levels).toEqual([...levels].sort((a, b) => b - a));
    expect(Object.values(results).every((f) => f.type === 'Feature' && f.geometry)).toBe(true);
    expect((await agent.get(host, '/api/boundaries', { 'If-None-Match': response.headers.etag as string })).status).toBe(304);
  });

  it('chart reads are bounded by their org (cross-org)', async () => {
    const other = await buildOrg();
    const runIds = (await expectedRuns(['2024-01-01', '2024-12-31'], null)).map((r) => r.id);
    const selection = { regionIds: null, reporterGroupId: 0, fields: {} };
    expect(await answerTotals(org.id, { questionIds: [numeric.id], pollRunIds: runIds, mode: 'use_last', selection, by: ['pollRun'] })).not.toHaveLength(0);
    expect(await answerTotals(other.id, { questionIds: [numeric.id], pollRunIds: runIds, mode: 'use_last', selection, by: ['pollRun'] })).toEqual([]);
    expect(await answerTotals(other.id, { questionIds: [numeric.id], pollRunIds: runIds, mode: 'use_last', selection: { ...selection, fields: { gender: 'a' } }, by: ['pollRun'] })).toEqual([]);
    expect(await responseCounts(other.id, { pollRunIds: runIds, selection, by: ['pollRun'] })).toEqual([]);
  });
});
