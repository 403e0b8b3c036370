import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '../../src/db/client.js';
import type { Org, Role } from '../../src/generated/prisma/client.js';
import { chooseFeatured } from '../../src/indicators/featured.js';
import type { IndicatorChart } from '../../src/indicators/present.js';
import { orgDb } from '../../src/tenancy/orgDb.js';
import { readOrgSettings, withOrgSettings } from '../../src/tenancy/orgSettings.js';
import { buildOrg, buildUser, TEST_PASSWORD } from '../support/factories.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { contactIn, indicatorOrg, pollRunOn, pollWithQuestion, respond, workedExample } from './support.js';

let app: TestServer;
beforeAll(async () => {
  app = await startTestServer();
});
afterAll(() => app.close());

async function signedIn(org: Org, role: Role | 'superuser', regionIds: number[] = []) {
  const user = role === 'superuser' ? await buildUser(null, { isSuperuser: true }) : await buildUser(org, { role });
  for (const regionId of regionIds) await orgDb(org.id).regionAccess.create({ data: { orgId: org.id, userId: user.id, regionId } });
  const agent = app.agent();
  await agent.signIn(user.email, TEST_PASSWORD);
  const host = agent.host(org.subdomain);
  return { user, agent, host, json: async <T>(path: string) => JSON.parse((await agent.get(host, path)).body) as T };
}

async function allowSpoofData(org: Org, on = true) {
  const fresh = await db().org.findUniqueOrThrow({ where: { id: org.id } });
  await db().org.update({ where: { id: org.id }, data: { settings: withOrgSettings(fresh.settings, { showSpoofData: on }) as never } });
}

/** The form of the worked example's indicator, as text fields. */
function formOf(example: Awaited<ReturnType<typeof workedExample>>, changes: Record<string, string> = {}) {
  return {
    name: 'Term 2 attendance', startDate: '2024-01-10', endDate: '2024-01-12',
    baselinePoll: String(example.baseline.poll.id), baselineQuestion: String(example.baseline.question.id), goal: '',
    followUpPoll: String(example.followUp.poll.id), followUpQuestion: String(example.followUp.question.id), yAxisTitle: 'Pupils',
    ...changes,
  };
}

describe('who may use indicators (D1, spec §17.11)', () => {
  it('sends the signed-out to sign-in, hides another org\'s indicators, and lets viewers read but not change', async () => {
    const example = await workedExample();
    const id = example.indicator.id;
    await allowSpoofData(example.org);
    const anonymous = app.agent();
    const orgHost = anonymous.host(example.org.subdomain);
    for (const path of ['/indicators', `/indicators/${id}`, `/indicators/${id}/chart`, '/indicators/new', `/indicators/${id}/edit`, '/indicators/spoof', `/api/polls/${example.followUp.poll.id}/questions`]) {
      expect((await anonymous.get(orgHost, path)).location).toBe(`/login?next=${encodeURIComponent(path)}`);
    }

    const outsider = await signedIn(await buildOrg(), 'admin');
    const host = outsider.agent.host(example.org.subdomain);
    for (const path of ['/indicators', `/indicators/${id}`, `/indicators/${id}/chart`]) expect((await outsider.agent.get(host, path)).status).toBe(404);
    expect((await outsider.agent.post(host, `/indicators/${id}/delete`)).status).toBe(404);

    const viewer = await signedIn(example.org, 'viewer');
    const list = await viewer.agent.get(viewer.host, '/indicators');
    expect(list.status).toBe(200);
    expect(list.body).toContain(`href="/indicators/${id}"`);
    expect(list.body).not.toContain('href="/indicators/new"');
    expect(list.body).not.toContain('/indicators/spoof');
    const page = await viewer.agent.get(viewer.host, `/indicators/${id}`);
    expect(page.status).toBe(200);
    expect(page.body).not.toContain(`/indicators/${id}/edit`);
    expect((await viewer.agent.get(viewer.host, '/')).body).toContain('href="/indicators"');
    expect((await viewer.json<IndicatorChart>(`/indicators/${id}/chart`)).series[1]!.data).toEqual([83, 47, 0]);
    for (const path of ['/indicators/new', `/indicators/${id}/edit`, '/indicators/spoof']) expect((await viewer.agent.get(viewer.host, path)).status).toBe(403);
    for (const path of ['/indicators/new', `/indicators/${id}/edit`, `/indicators/${id}/delete`, '/indicators/spoof', '/indicators/spoof/clear']) {
      expect((await viewer.agent.post(viewer.host, path, formOf(example))).status).toBe(403);
    }
    expect(await orgDb(example.org.id).indicator.count()).toBe(1);
    expect(await orgDb(example.org.id).pollRun.count({ where: { type: 'spoofed' } })).toBe(0);
  });

  it('answers 404 for another org\'s indicator id and for a non-numeric id', async () => {
    const example = await workedExample();
    const other = await workedExample();
    const { agent, host } = await signedIn(example.org, 'admin');
    for (const path of [`/indicators/${other.indicator.id}`, `/indicators/${other.indicator.id}/chart`, `/indicators/${other.indicator.id}/edit`, '/indicators/abc']) {
      expect((await agent.get(host, path)).status).toBe(404);
    }
    expect((await agent.post(host, `/indicators/${other.indicator.id}/edit`, formOf(example))).status).toBe(404);
    expect((await agent.post(host, `/indicators/${other.indicator.id}/delete`)).status).toBe(404);
    expect(await db().indicator.count({ where: { id: other.indicator.id } })).toBe(1);
  });
});

describe('adding, changing and deleting an indicator', () => {
  it('saves a valid form in the request\'s org, lists indicators by start then end date, edits and deletes', async () => {
    const example = await workedExample();
    const { agent, host, user } = await signedIn(example.org, 'supervisor', [example.north.id]);
    const form = await agent.get(host, '/indicators/new');
    expect(form.status).toBe(200);
    expect(form.body).toContain(`<option value="${example.followUp.poll.id}"`);
    expect(form.body).toContain('src="/static/js/indicator-form.js"');

    const created = await agent.post(host, '/indicators/new', formOf(example, { startDate: '2024-02-01', endDate: '2024-03-01' }));
    expect(created.status).toBe(303);
    const saved = await orgDb(example.org.id).indicator.findFirstOrThrow({ where: { name: 'Term 2 attendance' } });
    expect(created.location).toBe(`/indicators/${saved.id}`);
    expect(saved).toMatchObject({ orgId: example.org.id, createdById: user.id, baselineQuestionId: example.baseline.question.id, goal: null, yAxisTitle: 'Pupils' });
    const goalOnly = await agent.post(host, '/indicators/new', formOf(example, { name: 'Goal term', baselinePoll: '', baselineQuestion: '', goal: '120', startDate: '2024-01-01', endDate: '2024-04-01' }));
    expect(goalOnly.status).toBe(303);
    const goal = await orgDb(example.org.id).indicator.findFirstOrThrow({ where: { name: 'Goal term' } });
    expect([goal.goal?.toString(), goal.baselinePollId, goal.baselineQuestionId]).toEqual(['120', null, null]);

    const list = (await agent.get(host, '/indicators')).body;
    const order = ['Term 2 attendance', 'Term 1 attendance', 'Goal term'].map((name) => list.indexOf(`>${name}</a>`));
    expect(order.every((i) => i > 0)).toBe(true);
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(list).toContain('Goal: 120');

    const edit = await agent.get(host, `/indicators/${saved.id}/edit`);
    expect(edit.body).toContain('value="Term 2 attendance"');
    expect(edit.body).toMatch(new RegExp(`<option value="${example.followUp.question.id}" selected>`));
    const updated = await agent.post(host, `/indicators/${saved.id}/edit`, formOf(example, { name: 'Renamed', yAxisTitle: '' }));
    expect(updated.location).toBe(`/indicators/${saved.id}`);
    expect(await db().indicator.findUniqueOrThrow({ where: { id: saved.id } })).toMatchObject({ name: 'Renamed', yAxisTitle: '' });

    const deleted = await agent.post(host, `/indicators/${saved.id}/delete`);
    expect(deleted.location).toBe('/indicators');
    expect(await db().indicator.count({ where: { id: saved.id } })).toBe(0);
  });

  it('re-renders the form with errors and saves nothing for invalid input', async () => {
    const example = await workedExample();
    const other = await indicatorOrg();
    const untracked = await pollWithQuestion(example.org, 'Not Followed', 'Anything', { isActive: false });
    const girls = await db().question.create({ data: { orgId: example.org.id, pollId: example.followUp.poll.id, key: 'girls', rapidproName: 'Girls', flowOrder: 2 } });
    const { agent, host } = await signedIn(example.org, 'admin');
    const cases: [Record<string, string>, string][] = [
      [{ startDate: '2024-02-01', endDate: '2024-01-01' }, 'The end date must not be before the start date.'],
      [{ baselinePoll: String(example.followUp.poll.id), baselineQuestion: String(example.followUp.question.id) }, 'The follow-up question must differ from the baseline question.'],
      [{ baselineQuestion: String(girls.id) }, 'Choose a question of this poll.'],
      [{ followUpPoll: String(other.followUp.poll.id), followUpQuestion: String(other.followUp.question.id) }, 'Select a valid choice.'],
      [{ followUpQuestion: String(other.followUp.question.id) }, 'Choose a question of this poll.'],
      [{ baselinePoll: String(untracked.poll.id), baselineQuestion: String(untracked.question.id) }, 'Select a valid choice.'],
      [{ goal: '100' }, 'Choose a baseline question or enter a goal, not both.'],
      [{ baselinePoll: '', baselineQuestion: '' }, 'Choose a baseline poll, or enter a goal.'],
      [{ baselinePoll: '', baselineQuestion: '', goal: 'lots' }, 'Enter a number.'],
      [{ name: '' }, 'This field is required.'],
      [{ startDate: '2024-02-30' }, 'Enter a valid date.'],
    ];
    for (const [changes, message] of cases) {
      const res = await agent.post(host, '/indicators/new', formOf(example, { name: 'Bad', ...changes }));
      expect(res.status, message).toBe(400);
      expect(res.body, message).toContain(message);
    }
    const edit = await agent.post(host, `/indicators/${example.indicator.id}/edit`, formOf(example, { followUpPoll: String(other.followUp.poll.id) }));
    expect(edit.status).toBe(400);
    expect(await orgDb(example.org.id).indicator.count()).toBe(1);
    expect((await db().indicator.findUniqueOrThrow({ where: { id: example.indicator.id } })).followUpPollId).toBe(example.followUp.poll.id);
  });
});

describe('the indicator page', () => {
  it('shows the worked example: chart JSON and the summary table, with filters kept in the URL', async () => {
    const example = await workedExample();
    const id = example.indicator.id;
    const { agent, host, json } = await signedIn(example.org, 'admin');
    const page = await agent.get(host, `/indicators/${id}`);
    expect(page.status).toBe(200);
    for (const text of ['January 10, 2024 - January 12, 2024', 'Enrolment: Pupils enrolled', '90.0', '66.7', '43.3', '34.0', '50.0']) expect(page.body).toContain(text);
    const src = /data-chart="indicator" data-src="([^"]+)"/.exec(page.body)![1]!.replace(/&amp;/g, '&');
    expect(src).toContain('dateRange=custom&startDate=2024-01-10&endDate=2024-01-12');
    const chart = await json<IndicatorChart>(src);
    expect(chart.categories).toEqual(['2024-01-10', '2024-01-11', '2024-01-12']);
    expect(chart.series.map((s) => s.data)).toEqual([[90, 90, 90], [83, 47, 0]]);
    expect(chart.urls[0]).toBe(`/pollruns/${example.runs.f10.id}?region=all&sub=1`);

    const goal = await json<IndicatorChart>(`/indicators/${id}/chart?goal=100`);
    expect(goal.series[0]!.data).toEqual([100, 100, 100]);
    const split = await json<IndicatorChart>(`/indicators/${id}/chart?splitByRegion=on`);
    expect(split.series.map((s) => [s.name, s.kind, s.data])).toEqual([
      ['Baseline', 'baseline', [90, 90, 90]], ['Follow up', 'followUp', [83, 47, 0]], ['North', 'region', [45, 47, 0]], ['South', 'region', [38, 0, 0]],
    ]);
    expect(split.table.columns).toEqual(['Date', 'Baseline', 'Follow up', 'North', 'South']);
    const narrowed = await agent.get(host, `/indicators/${id}?dateRange=custom&startDate=2024-01-11&endDate=2024-01-11&contactRegion=${example.north.id}`);
    expect(narrowed.body).toContain('January 11, 2024 - January 11, 2024');
    expect(narrowed.body).toMatch(new RegExp(`<option value="${example.north.id}" selected>North</option>`));
    expect((await json<IndicatorChart>(`/indicators/${id}/chart?dateRange=custom&startDate=2024-01-11&endDate=2024-01-11&contactRegion=${example.north.id}`)).series[1]!.data).toEqual([47]);

    // Contact field filters of the visible data fields (spec §20.2).
    await orgDb(example.org.id).dataField.create({ data: { orgId: example.org.id, key: 'school', label: 'School', visible: true } });
    expect((await agent.get(host, `/indicators/${id}`)).body).toContain('name="contact_school"');
    const hill = await json<IndicatorChart>(`/indicators/${id}/chart?contact_school=hill`);
    expect(hill.series.map((s) => s.data)).toEqual([[50, 50, 50], [45, 47, 0]]);

    const invalid = await agent.get(host, `/indicators/${id}?dateRange=custom&startDate=2024-01-12&endDate=2024-01-10`);
    expect(invalid.body).toContain('The end date must not be before the start date.');
    expect(invalid.body).not.toContain('data-chart="indicator"');
    expect((await agent.get(host, `/indicators/${id}/chart?goal=abc`)).status).toBe(400);
    const empty = await agent.get(host, `/indicators/${id}?dateRange=custom&startDate=2023-01-01&endDate=2023-01-31`);
    expect(empty.body).toContain('No data for the current filters.');
    expect(await json(`/indicators/${id}/chart?dateRange=custom&startDate=2023-01-01&endDate=2023-01-31`)).toBeNull();
  });

  it('limits a supervisor to their regions: another region in the URL falls back, other regions\' contacts never count', async () => {
    const example = await workedExample();
    const { org, north, south, followUp } = example;
    const southStart = await pollRunOn(org, followUp.poll.id, '2024-01-12', 'regional', south.id);
    await respond(southStart, example.contacts.b, 'C', [{ question: followUp.question, value: '900' }]);
    const id = example.indicator.id;
    const supervisor = await signedIn(org, 'supervisor', [north.id]);
    const own = await supervisor.json<IndicatorChart>(`/indicators/${id}/chart`);
    expect(own.series.map((s) => s.data)).toEqual([[50, 50, 50], [45, 47, 0]]);
    const elsewhere = await supervisor.json<IndicatorChart>(`/indicators/${id}/chart?region=${south.id}&sub=1`);
    expect(elsewhere).toEqual(own);
    expect((await supervisor.agent.get(supervisor.host, `/indicators/${id}/chart?contactRegion=${south.id}`)).status).toBe(400);
    const page = await supervisor.agent.get(supervisor.host, `/indicators/${id}?contactRegion=${south.id}`);
    expect(page.body).toContain('Select a valid choice.');
    expect(page.body).not.toContain('>South</option>');
    const split = await supervisor.json<IndicatorChart>(`/indicators/${id}/chart?splitByRegion=on`);
    expect(split.series.map((s) => s.name)).toEqual(['Baseline', 'Follow up', 'North']);

    // An admin in South sees the South start, and all of South's data.
    const admin = await signedIn(org, 'admin');
    const southern = await admin.json<IndicatorChart>(`/indicators/${id}/chart?region=${south.id}&sub=1`);
    expect(southern.categories).toEqual(['2024-01-10', '2024-01-11', '2024-01-12', '2024-01-12']);
    expect(southern.series[1]!.data).toEqual([38, 0, 0, 900]);

    // A supervisor without regions sees no data at all.
    const lost = await signedIn(org, 'supervisor');
    expect((await lost.agent.get(lost.host, `/indicators/${id}`)).body).toContain('You have no region access yet.');
    expect(await lost.json(`/indicators/${id}/chart`)).toBeNull();
  });
});

describe('readers held to their regions on every indicator read (D1)', () => {
  it('limits a viewer with assigned regions like a supervisor, and a supervisor on the home page\'s featured chart and the questions API', async () => {
    const example = await workedExample();
    const { org, north, south, followUp } = example;
    const southStart = await pollRunOn(org, followUp.poll.id, '2024-01-12', 'regional', south.id);
    await respond(southStart, example.contacts.b, 'C', [{ question: followUp.question, value: '900' }]);
    const id = example.indicator.id;
    const northOnly = [[50, 50, 50], [45, 47, 0]];

    const viewer = await signedIn(org, 'viewer', [north.id]);
    expect((await viewer.json<IndicatorChart>(`/indicators/${id}/chart`)).series.map((s) => s.data)).toEqual(northOnly);
    expect((await viewer.json<IndicatorChart>(`/indicators/${id}/chart?region=${south.id}&sub=1`)).series.map((s) => s.data)).toEqual(northOnly);
    expect((await viewer.agent.get(viewer.host, `/indicators/${id}/chart?contactRegion=${south.id}`)).status).toBe(400);
    const page = await viewer.agent.get(viewer.host, `/indicators/${id}`);
    expect(page.status).toBe(200);
    // North's summary: follow-up mean (45 + 47 + 0) / 3, not the whole org's 43.3.
    expect(page.body).toContain('30.7');
    expect(page.body).not.toContain('43.3');
    expect(page.body).not.toContain('>South</option>');
    expect((await viewer.agent.get(viewer.host, `/indicators/${id}/edit`)).status).toBe(403);

    const supervisor = await signedIn(org, 'supervisor', [north.id]);
    const home = (await supervisor.agent.get(supervisor.host, '/')).body;
    const src = new RegExp(`data-src="(/indicators/${id}/chart\\?[^"]+)"`).exec(home)?.[1]?.replace(/&amp;/g, '&');
    expect(src).toBe(`/indicators/${id}/chart?dateRange=custom&startDate=2024-01-10&endDate=2024-01-12&region=${north.id}&sub=1`);
    expect((await supervisor.json<IndicatorChart>(src!)).series.map((s) => s.data)).toEqual(northOnly);
    const questions = await supervisor.json<{ results: { id: number }[] }>(`/api/polls/${followUp.poll.id}/questions`);
    expect(questions.results.map((q) => q.id)).toEqual([followUp.question.id]);
  });
});

describe('spoof data (spec §14.7)', () => {
  it('is out of reach while the org setting is off: every spoof route leads back to the list', async () => {
    const example = await workedExample();
    const { agent, host } = await signedIn(example.org, 'admin');
    expect((await agent.get(host, '/indicators')).body).not.toContain('/indicators/spoof');
    expect((await agent.get(host, '/indicators/spoof')).location).toBe('/indicators');
    const post = await agent.post(host, '/indicators/spoof', {
      contacts: String(example.contacts.a.id), startDate: '2024-05-01', endDate: '2024-05-02', baselineQuestion: String(example.baseline.question.id),
      followUpQuestion: String(example.followUp.question.id), baselineMin: '1', baselineMax: '5', followUpMin: '1', followUpMax: '5',
    });
    expect(post.location).toBe('/indicators');
    expect((await agent.post(host, '/indicators/spoof/clear')).location).toBe('/indicators');
    expect(await orgDb(example.org.id).pollRun.count({ where: { type: 'spoofed' } })).toBe(0);
  });

  it('writes 1 contact × May 1–2 as 3 poll runs, 3 responses and 3 answers; 2 contacts × May 1–3 as 4, 8 and 8; clear removes them all', async () => {
    const s = await indicatorOrg({ timezone: 'Africa/Kigali' });
    await allowSpoofData(s.org);
    const a = await contactIn(s.org, s.north.id, 'Ann');
    const b = await contactIn(s.org, s.south.id, 'Ben');
    const real = await pollRunOn(s.org, s.followUp.poll.id, '2024-05-01');
    await respond(real, a, 'C', [{ question: s.followUp.question, value: '1000', at: new Date('2024-05-01T00:30:00Z') }]);
    const { agent, host } = await signedIn(s.org, 'supervisor', [s.north.id]);
    const list = await agent.get(host, '/indicators');
    expect(list.body).toContain('href="/indicators/spoof"');
    expect(list.body).toContain('action="/indicators/spoof/clear"');
    const form = await agent.get(host, '/indicators/spoof');
    expect(form.body).toContain('Enrolment: Pupils enrolled');
    expect(form.body).toContain(`<option value="${a.id}"`);
    expect(form.body).not.toContain(`<option value="${b.id}"`);
    const submit = (changes: Record<string, string | string[]>) => agent.post(host, '/indicators/spoof', {
      contacts: String(a.id), startDate: '2024-05-01', endDate: '2024-05-02', baselineQuestion: String(s.baseline.question.id),
      followUpQuestion: String(s.followUp.question.id), baselineMin: '10', baselineMax: '20', followUpMin: '5', followUpMax: '5', ...changes,
    });

    for (const [changes, message] of [
      [{ endDate: '2024-04-30' }, 'The end date must not be before the start date.'],
      [{ followUpQuestion: String(s.baseline.question.id) }, 'The follow-up question must differ from the baseline question.'],
      [{ baselineMin: '0', baselineMax: '-1' }, 'The maximum must not be below the minimum.'],
      [{ contacts: String(b.id) }, 'Select a valid choice.'],
      [{ contacts: [] }, 'This field is required.'],
      [{ endDate: '2025-06-01' }, 'A term of spoof data lasts at most 366 days.'],
    ] as [Record<string, string | string[]>, string][]) {
      const res = await submit(changes);
      expect(res.status, message).toBe(400);
      expect(res.body, message).toContain(message);
    }
    expect(await orgDb(s.org.id).pollRun.count({ where: { type: 'spoofed' } })).toBe(0);

    const created = await submit({});
    expect(created.location).toBe('/indicators');
    const runs = await orgDb(s.org.id).pollRun.findMany({ where: { type: 'spoofed' }, orderBy: [{ conductedOn: 'asc' }, { id: 'asc' }], include: { responses: { include: { answers: true } } } });
    expect(runs.map((r) => [r.pollId, r.regionId, r.conductedOn.toLocaleDateString('en-CA', { timeZone: 'Africa/Kigali' })])).toEqual([
      [s.baseline.poll.id, null, '2024-05-01'], [s.followUp.poll.id, null, '2024-05-01'], [s.followUp.poll.id, null, '2024-05-02'],
    ]);
    const responses = runs.flatMap((r) => r.responses);
    expect(responses.map((r) => [r.contactId, r.status, r.isActive])).toEqual([[a.id, 'C', true], [a.id, 'C', true], [a.id, 'C', true]]);
    const answers = responses.flatMap((r) => r.answers);
    expect(answers).toHaveLength(3);
    expect(Number(answers[0]!.value)).toBeGreaterThanOrEqual(10);
    expect(Number(answers[0]!.value)).toBeLessThan(20);
    expect(answers.slice(1).map((x) => [x.value, x.category])).toEqual([['5', null], ['5', null]]);
    // §10.1: the real answer of May 1 (org-local) and the spoofed one make one same-day group.
    const day = await db().answer.findMany({ where: { orgId: s.org.id, contactId: a.id, questionId: s.followUp.question.id, localDay: new Date('2024-05-01T00:00:00Z') } });
    expect(day.map((x) => x.sumValue)).toEqual(['1005.0', '1005.0']);

    expect((await submit({ contacts: [String(a.id), String(a.id)], endDate: '2024-05-03' })).status).toBe(303);
    const admin = await signedIn(s.org, 'admin');
    const twoContacts = await admin.agent.post(admin.host, '/indicators/spoof', {
      contacts: [String(a.id), String(b.id)], startDate: '2024-05-01', endDate: '2024-05-03', baselineQuestion: String(s.baseline.question.id),
      followUpQuestion: String(s.followUp.question.id), baselineMin: '1', baselineMax: '2', followUpMin: '3', followUpMax: '4',
    });
    expect(twoContacts.status).toBe(303);
    const latest = await orgDb(s.org.id).pollRun.findMany({ where: { type: 'spoofed', createdById: { not: null } }, orderBy: { id: 'desc' }, take: 4, include: { _count: { select: { responses: true } } } });
    expect(latest.map((r) => r._count.responses)).toEqual([2, 2, 2, 2]);
    expect(await orgDb(s.org.id).answer.count({ where: { pollRunId: { in: latest.map((r) => r.id) } } })).toBe(8);

    const cleared = await agent.post(host, '/indicators/spoof/clear');
    expect(cleared.location).toBe('/indicators');
    expect(await orgDb(s.org.id).pollRun.count({ where: { type: 'spoofed' } })).toBe(0);
    expect(await orgDb(s.org.id).response.count()).toBe(1);
    const left = await db().answer.findFirstOrThrow({ where: { orgId: s.org.id } });
    expect([left.value, left.lastValue, left.sumValue]).toEqual(['1000', '1000', '1000.0']);
    const counters = await db().answerCounterDelta.groupBy({ by: ['pollRunId'], where: { orgId: s.org.id }, _sum: { answers: true } });
    expect(counters.filter((c) => c._sum.answers !== 0).map((c) => c.pollRunId)).toEqual([real.id]);
  });
});

describe('the featured indicator (spec §14.6)', () => {
  it('is the first of the 5 latest-ending indicators whose follow-up was answered in its term in universal or spoofed poll runs', async () => {
    const example = await workedExample();
    const { org, followUp, north } = example;
    const make = (name: string, start: string, end: string) => orgDb(org.id).indicator.create({
      data: { orgId: org.id, name, startDate: new Date(`${start}T00:00:00Z`), endDate: new Date(`${end}T00:00:00Z`), goal: '10', followUpPollId: followUp.poll.id, followUpQuestionId: followUp.question.id },
    });
    // Latest end, but no poll run in its term.
    await make('Empty term', '2024-06-01', '2024-06-30');
    // Answered only in a region-started poll run.
    const regional = await pollRunOn(org, followUp.poll.id, '2024-05-15', 'regional', north.id);
    await respond(regional, example.contacts.a, 'C', [{ question: followUp.question, value: '3' }]);
    await make('Regional only', '2024-05-01', '2024-05-31');
    // Answered in a universal poll run: featured.
    const april = await pollRunOn(org, followUp.poll.id, '2024-04-10');
    await respond(april, example.contacts.a, 'C', [{ question: followUp.question, value: '4' }]);
    const featured = await make('April', '2024-04-01', '2024-04-30');
    await make('March', '2024-03-01', '2024-03-31');
    await make('February', '2024-02-01', '2024-02-28');
    // Sixth by end date (the worked example, January): not among the 5.
    const choice = await chooseFeatured(org.id, org.timezone);
    expect(choice.recent.map((i) => i.name)).toEqual(['Empty term', 'Regional only', 'April', 'March', 'February']);
    expect(choice.featured?.id).toBe(featured.id);

    const { agent, host } = await signedIn(org, 'viewer');
    const home = await agent.get(host, '/');
    expect(home.body).toMatch(/>April<\/a> <span[^>]*>\(displayed\)<\/span>/);
    expect(home.body).toContain(`data-src="/indicators/${featured.id}/chart?dateRange=custom&amp;startDate=2024-04-01&amp;endDate=2024-04-30&amp;region=all&amp;sub=1"`);
    expect(home.body).toContain('April 1, 2024 - April 30, 2024');
    expect(home.body).not.toContain('>Term 1 attendance</a>');
  });

  it('is missing without an answered indicator, and the home page says so', async () => {
    const s = await indicatorOrg();
    expect(await chooseFeatured(s.org.id, 'UTC')).toEqual({ recent: [], featured: null });
    const { agent, host } = await signedIn(s.org, 'admin');
    const home = await agent.get(host, '/');
    expect(home.body).toContain('Recent indicators');
    expect(home.body).toContain('No data for this period.');
  });
});

describe('GET /api/polls/:id/questions (spec §18.5)', () => {
  it('lists a tracked poll\'s shown questions in order; 404 for untracked polls and other orgs', async () => {
    const s = await indicatorOrg();
    const other = await indicatorOrg();
    const second = await db().question.create({ data: { orgId: s.org.id, pollId: s.followUp.poll.id, key: 'girls', rapidproName: 'Girls', customName: 'Girls present', flowOrder: 2, adminOrder: 0 } });
    await db().question.create({ data: { orgId: s.org.id, pollId: s.followUp.poll.id, key: 'hidden', rapidproName: 'Hidden', flowOrder: 3, isActive: false } });
    const untracked = await pollWithQuestion(s.org, 'Untracked', 'Q', { isActive: false });
    const { agent, host, json } = await signedIn(s.org, 'viewer');
    expect(await json(`/api/polls/${s.followUp.poll.id}/questions`)).toEqual({ results: [{ id: second.id, name: 'Girls present' }, { id: s.followUp.question.id, name: 'Pupils present' }] });
    for (const id of [untracked.poll.id, other.followUp.poll.id]) expect((await agent.get(host, `/api/polls/${id}/questions`)).status).toBe(404);
  });
});

describe('the "show spoof data" org setting', () => {
  it('is off by default and switched on the superuser\'s org form, keeping the other settings', async () => {
    const org = await buildOrg();
    expect(readOrgSettings(org.settings).showSpoofData).toBe(false);
    await db().org.update({ where: { id: org.id }, data: { settings: { sameDayMode: 'sum' } } });
    const { agent } = await signedIn(org, 'superuser');
    const base = agent.host();
    expect((await agent.get(base, `/manage/orgs/${org.id}/edit`)).body).toMatch(/id="f-showSpoofData" name="showSpoofData" >/);
    const form = { name: org.name, subdomain: org.subdomain, apiUrl: org.apiUrl, apiToken: '', timezone: 'UTC', languages: ['en', 'fr'], defaultLanguage: 'en', isActive: 'on' };
    expect((await agent.post(base, `/manage/orgs/${org.id}`, { ...form, showSpoofData: 'on' })).status).toBe(303);
    const saved = await db().org.findUniqueOrThrow({ where: { id: org.id } });
    expect(saved.settings).toEqual({ sameDayMode: 'sum', showSpoofData: true });
    expect((await agent.get(base, `/manage/orgs/${org.id}/edit`)).body).toMatch(/id="f-showSpoofData" name="showSpoofData" checked>/);
    await agent.post(base, `/manage/orgs/${org.id}`, form);
    expect(readOrgSettings((await db().org.findUniqueOrThrow({ where: { id: org.id } })).settings).showSpoofData).toBe(false);
  });
});
