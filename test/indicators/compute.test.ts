import { describe, expect, it } from 'vitest';
import { db } from '../../src/db/client.js';
import { answerTotals, baselineTotals, counterResponses, counterTotals, responseCounts, termPollRuns } from '../../src/db/indicatorReads.js';
import { writeSpoofedPollRuns } from '../../src/db/spoofData.js';
import { computeIndicator, type IndicatorFilters } from '../../src/indicators/compute.js';
import { definitionOf, loadIndicator } from '../../src/indicators/definition.js';
import { presentChart, presentSummary } from '../../src/indicators/present.js';
import { contactIn, indicatorOrg, pollRunOn, respond, scopeOf, workedExample } from './support.js';

const TERM = { start: '2024-01-10', end: '2024-01-12' };
const filters = (changes: Partial<IndicatorFilters> = {}): IndicatorFilters => ({
  window: TERM, goal: null, contactRegionId: null, fieldFilters: [], splitByRegion: false, ...changes,
});
const t = (key: string, options?: Record<string, unknown>) => key.replace(/\{\{(\w+)\}\}/g, (_, name: string) => String(options?.[name] ?? ''));

async function compute(example: Awaited<ReturnType<typeof workedExample>>, changes: Partial<IndicatorFilters> = {}, context: Parameters<typeof scopeOf>[1] = {}) {
  const indicator = (await loadIndicator(example.org.id, example.indicator.id))!;
  const result = await computeIndicator(definitionOf(indicator), await scopeOf(example.org, context), filters(changes));
  return { indicator, result };
}

describe('the worked example of spec §14.5', () => {
  it('gives baseline 90.0 (rate 66.7) and follow-up 83, 47, 0 (mean 43.3, deviation 34.0, rate 50.0)', async () => {
    const example = await workedExample();
    const { indicator, result } = await compute(example);
    expect(result).toMatchObject({
      runs: [{ day: '2024-01-10' }, { day: '2024-01-11' }, { day: '2024-01-12' }],
      baseline: { value: 90, rate: 66.7, isGoal: false },
      followUp: { sums: [83, 47, 0], rates: [100, 50, 0], mean: 43.3, stdev: 34, rate: 50 },
      regions: null,
    });
    const chart = presentChart(indicator, result!, { t, language: 'en', regionNames: new Map(), pollRunUrl: () => null });
    expect(chart.categories).toEqual(['2024-01-10', '2024-01-11', '2024-01-12']);
    expect(chart.series.map((s) => [s.name, s.data])).toEqual([['Baseline', [90, 90, 90]], ['Follow up', [83, 47, 0]]]);
    expect(chart.yAxisTitle).toBe('Pupils');
    expect(chart.table.rows).toEqual([['2024-01-10', 90, 83], ['2024-01-11', 90, 47], ['2024-01-12', 90, 0]]);
    const summary = Object.fromEntries(presentSummary(indicator, result!, TERM, { t, language: 'en' }).map((r) => [r.label, r.value]));
    expect(summary).toEqual({
      'Dates': 'January 10, 2024 - January 12, 2024',
      'Baseline question': 'Enrolment: Pupils enrolled',
      'Baseline value (Pupils)': '90.0',
      'Baseline response rate (%)': '66.7',
      'Follow up question': 'Attendance: Pupils present',
      'Follow up mean (Pupils)': '43.3',
      'Follow up standard deviation': '34.0',
      'Follow up response rate (%)': '50.0',
    });
  });

  it('with a goal of 100: the baseline series is 100, 100, 100 and its response rate "n/a"', async () => {
    const example = await workedExample();
    const typed = await compute(example, { goal: '100' });
    expect(typed.result!.baseline).toEqual({ value: 100, rate: null, isGoal: true });
    expect(typed.result!.followUp.sums).toEqual([83, 47, 0]);
    const summary = presentSummary(typed.indicator, typed.result!, TERM, { t, language: 'en' });
    expect(summary.find((r) => r.label === 'Baseline response rate (%)')!.value).toBe('n/a');
    expect(summary.find((r) => r.label === 'Baseline value (Pupils)')!.value).toBe('100.0');

    // A goal stored on the indicator instead of a baseline question does the same.
    await db().indicator.update({ where: { id: example.indicator.id }, data: { goal: '100', baselinePollId: null, baselineQuestionId: null } });
    const stored = await compute(example);
    expect(stored.result!.baseline).toEqual({ value: 100, rate: null, isGoal: true });
    const chart = presentChart(stored.indicator, stored.result!, { t, language: 'en', regionNames: new Map(), pollRunUrl: () => null });
    expect(chart.series[0]!.data).toEqual([100, 100, 100]);
    expect(presentSummary(stored.indicator, stored.result!, TERM, { t, language: 'en' })[1]!.value).toBe('Goal');
  });

  it('has no chart without follow-up poll runs in the window, and a baseline of 0 without baseline responses', async () => {
    const example = await workedExample();
    expect((await compute(example, { window: { start: '2024-02-01', end: '2024-02-28' } })).result).toBeNull();
    const { result } = await compute(example, { window: { start: '2024-01-12', end: '2024-01-12' } });
    expect(result!.baseline).toEqual({ value: 0, rate: 0, isGoal: false });
    expect(result!.followUp.sums).toEqual([0]);
  });
});

describe('which responses count', () => {
  it('leaves superseded responses out of the baseline and the follow-up (spec Q6)', async () => {
    const example = await workedExample();
    const { org, baseline, followUp, runs } = example;
    const d = await contactIn(org, example.north.id, 'Dan');
    // Dan's first baseline answer (earliest, 500) was superseded by a later response in the same poll run.
    await respond(runs.b10, d, 'C', [{ question: baseline.question, value: '500', at: new Date('2024-01-10T08:00:00Z') }], { isActive: false });
    await respond(runs.b10, d, 'C', [{ question: baseline.question, value: '10', at: new Date('2024-01-10T09:00:00Z') }]);
    await respond(runs.f10, d, 'C', [{ question: followUp.question, value: '1000' }], { isActive: false });
    await respond(runs.f10, d, 'C', [{ question: followUp.question, value: '2' }]);
    const { result } = await compute(example);
    expect(result!.baseline).toEqual({ value: 100, rate: 75, isGoal: false });
    expect(result!.followUp.sums).toEqual([85, 47, 0]);
    // The answers path (a field filter every contact passes) agrees.
    await db().contact.update({ where: { id: d.id }, data: { fields: { school: 'Hill School' } } });
    const filtered = await compute(example, { fieldFilters: [{ key: 'school', value: 'school' }] });
    expect(filtered.result!.followUp).toEqual(result!.followUp);
  });

  it('leaves out inactive contacts', async () => {
    const example = await workedExample();
    await db().contact.update({ where: { id: example.contacts.b.id }, data: { isActive: false } });
    const { result } = await compute(example);
    expect(result!.baseline).toEqual({ value: 50, rate: 50, isGoal: false });
    expect(result!.followUp.sums).toEqual([45, 47, 0]);
  });

  it('narrows contacts to a contact field filter (case-insensitive "contains")', async () => {
    const example = await workedExample();
    const { result } = await compute(example, { fieldFilters: [{ key: 'school', value: 'hill' }] });
    // Only Ann and Cat (Hill School): baseline A 50 of respondents A, C; follow-up A 45, A 47.
    expect(result!.baseline).toEqual({ value: 50, rate: 50, isGoal: false });
    expect(result!.followUp).toMatchObject({ sums: [45, 47, 0], rates: [100, 100, 0] });
    const none = await compute(example, { fieldFilters: [{ key: 'school', value: '%' }] });
    expect(none.result!.followUp.sums).toEqual([0, 0, 0]);
  });
});

describe('the region context', () => {
  it('charts universal poll runs only for "All regions", and region-started ones visible for the current region', async () => {
    const example = await workedExample();
    const { org, north, northOne, south, followUp } = example;
    const regional = await pollRunOn(org, followUp.poll.id, '2024-01-11', 'regional', northOne.id);
    const o = await contactIn(org, northOne.id, 'Olive');
    await respond(regional, o, 'C', [{ question: followUp.question, value: '7' }]);
    const southRun = await pollRunOn(org, followUp.poll.id, '2024-01-12', 'regional', south.id);
    await respond(southRun, example.contacts.b, 'C', [{ question: followUp.question, value: '9' }]);

    expect((await compute(example)).result!.runs.map((r) => r.id)).toEqual([example.runs.f10.id, example.runs.f11.id, example.runs.f12.id]);

    // North with sub-regions: the North One start is visible, South's is not; only North's contacts count.
    const northIds = [north.id, northOne.id];
    const { result } = await compute(example, {}, { regionId: north.id, includeSubregions: true, dataRegionIds: northIds });
    expect(result!.runs.map((r) => r.id)).toEqual([example.runs.f10.id, example.runs.f11.id, regional.id, example.runs.f12.id]);
    expect(result!.followUp.sums).toEqual([45, 47, 7, 0]);
    expect(result!.baseline).toEqual({ value: 50, rate: 50, isGoal: false });

    // South only.
    const southern = await compute(example, {}, { regionId: south.id, includeSubregions: true, dataRegionIds: [south.id] });
    expect(southern.result!.runs.map((r) => r.id)).toEqual([example.runs.f10.id, example.runs.f11.id, example.runs.f12.id, southRun.id]);
    expect(southern.result!.followUp.sums).toEqual([38, 0, 0, 9]);
    expect(southern.result!.baseline).toEqual({ value: 40, rate: 100, isGoal: false });
  });

  it('splits the follow-up by contact region, the regions adding up to the total', async () => {
    const example = await workedExample();
    const { result } = await compute(example, { splitByRegion: true });
    expect(result!.followUp.sums).toEqual([83, 47, 0]);
    const byRegion = Object.fromEntries(result!.regions!.map((r) => [r.regionId, r.sums]));
    expect(byRegion).toEqual({ [example.north.id]: [45, 47, 0], [example.south.id]: [38, 0, 0] });
    const filtered = await compute(example, { splitByRegion: true, fieldFilters: [{ key: 'school', value: 'School' }] });
    expect(filtered.result!.regions).toEqual(result!.regions);
    // One contact region chosen on the page.
    const north = await compute(example, { contactRegionId: example.north.id });
    expect(north.result!.followUp.sums).toEqual([45, 47, 0]);
  });
});

describe('the two ways of reading the follow-up', () => {
  it('give the same totals: counters (with their unsquashed deltas) and the answers themselves, in both same-day modes', async () => {
    const s = await indicatorOrg();
    const { org, north, northOne, south, followUp } = s;
    const contacts = [
      await contactIn(org, north.id, 'A', { school: 'X' }), await contactIn(org, northOne.id, 'B', { school: 'X' }),
      await contactIn(org, south.id, 'C', { school: 'X' }), await contactIn(org, south.id, 'D', { school: 'X' }),
    ];
    const user = await db().user.create({ data: { email: `spoofer-${org.id}@example.org`, name: 'Spoofer', passwordHash: 'x' } });
    // Twice the same days: each contact answers twice a day, so last and sum values differ.
    for (const values of [['3', '4', 'abc', '5.5'], ['10', '-2', '7', 'n/a']]) {
      await writeSpoofedPollRuns(org.id, user.id, ['2024-03-01', '2024-03-02'].map((day, i) => ({
        pollId: followUp.poll.id, questionId: followUp.question.id, conductedOn: new Date(`${day}T0${8 + i}:00:00Z`),
        answers: new Map(contacts.map((c, j) => [c.id, values[j]!])),
      })));
    }
    // §10.1 same-day values: per contact and day the latest value, or the sum of the numeric ones.
    const day1 = await db().answer.findMany({ where: { orgId: org.id, contactId: contacts[2]!.id, localDay: new Date('2024-03-01T00:00:00Z') } });
    expect(day1.map((a) => [a.value, a.lastValue, a.sumValue]).sort()).toEqual([['7', '7', '7.0'], ['abc', '7', '7.0']]);
    const extra = await pollRunOn(org, followUp.poll.id, '2024-03-02');
    await respond(extra, contacts[0]!, 'P');
    await respond(extra, contacts[1]!, 'C', [{ question: followUp.question, value: '1e2' }]);
    await respond(extra, contacts[2]!, 'C', [{ question: followUp.question, value: '9' }], { isActive: false });
    const runIds = (await termPollRuns(org.id, followUp.poll.id, { start: '2024-03-01', end: '2024-03-02' }, 'UTC')).map((r) => r.id);
    expect(runIds).toHaveLength(5);
    const sort = <T extends { pollRunId: number; regionId: number | null }>(rows: T[]) => [...rows].sort((a, b) => a.pollRunId - b.pollRunId || (a.regionId ?? 0) - (b.regionId ?? 0));
    const norm = (rows: { pollRunId: number; regionId: number | null; answers: number; count: number; sum: string; squares: string }[]) =>
      sort(rows).map((r) => ({ ...r, sum: Number(r.sum), squares: Number(r.squares) }));
    const everyone = { regionIds: null, fieldFilters: [] };
    for (const byRegion of [false, true]) {
      for (const [mode, column] of [['use_last', 'last_value'], ['sum', 'sum_value']] as const) {
        const fromCounters = await counterTotals(org.id, followUp.question.id, runIds, mode, null, byRegion);
        const fromAnswers = await answerTotals(org.id, followUp.question.id, runIds, column, everyone, byRegion);
        expect(norm(fromCounters)).toEqual(norm(fromAnswers));
        expect(fromCounters.length).toBeGreaterThan(0);
      }
      expect(sort(await counterResponses(org.id, runIds, [north.id, south.id], byRegion))).toEqual(sort(await responseCounts(org.id, runIds, { regionIds: [north.id, south.id], fieldFilters: [] }, byRegion)));
    }
    // The whole computation agrees too.
    const scope = await scopeOf(org, { sameDayMode: 'sum' });
    const definition = { baseline: null, goal: '1', followUp: { pollId: followUp.poll.id, questionId: followUp.question.id, type: 'numeric' as const } };
    const window = { start: '2024-03-01', end: '2024-03-02' };
    const counted = await computeIndicator(definition, scope, filters({ window, splitByRegion: true }));
    const read = await computeIndicator(definition, scope, filters({ window, splitByRegion: true, fieldFilters: [{ key: 'school', value: 'x' }] }));
    expect(read).toEqual(counted);
    expect(counted!.followUp.sums.some((sum) => sum !== 0)).toBe(true);
  });

  it('never reads another org\'s rows', async () => {
    const example = await workedExample();
    const other = await indicatorOrg();
    const runIds = Object.values(example.runs).map((r) => r.id);
    expect(await termPollRuns(other.org.id, example.followUp.poll.id, TERM, 'UTC')).toEqual([]);
    expect(await counterTotals(other.org.id, example.followUp.question.id, runIds, 'use_last', null, false)).toEqual([]);
    expect(await counterResponses(other.org.id, runIds, null, false)).toEqual([]);
    expect(await answerTotals(other.org.id, example.followUp.question.id, runIds, 'value', { regionIds: null, fieldFilters: [] }, false)).toEqual([]);
    expect(await responseCounts(other.org.id, runIds, { regionIds: null, fieldFilters: [] }, false)).toEqual([]);
    expect(await baselineTotals(other.org.id, example.baseline.question.id, runIds, 'value', { regionIds: null, fieldFilters: [] })).toEqual({ respondents: 0, answered: 0, total: '0' });
  });
});
