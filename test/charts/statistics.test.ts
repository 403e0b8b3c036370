import { describe, expect, it } from 'vitest';
import { categoricalOverTime, numericOverTime, summaryOverTime } from '../../src/charts/overTime.js';
import { addTotals, overallMean, overallStdev, statisticOf, summaryOf, totalsOf } from '../../src/charts/statistics.js';
import type { ChartPollRun } from '../../src/charts/table.js';

const t = (key: string) => key;
const run = (id: number, date: string): ChartPollRun => ({ id, date, url: `/pollruns/${id}`, participationUrl: `/pollruns/${id}/participation` });

describe('per-poll-run statistic (spec §13.1)', () => {
  it('works the three-poll-run example: D1, D2, and D3 without responses', () => {
    const d1 = statisticOf(totalsOf(['10', '20', 'abc']), 4);
    const d2 = statisticOf(totalsOf(['7']), 2);
    const d3 = statisticOf(totalsOf([]), 0);
    expect(d1).toEqual({ sum: 30, avg: 15, stdev: 5, rate: 75 });
    expect(d2).toEqual({ sum: 7, avg: 7, stdev: 0, rate: 50 });
    expect(d3).toBeNull();
    expect(summaryOf([d1, d2, d3])).toEqual({ mean: 7.3, stdev: 6.1, rateAverage: 41.7 });
    expect(overallMean([15, 7, 0])).toBe(7.3);
    expect(overallStdev([15, 7, 0])).toBe(6.1);
    expect(overallMean([75, 50, 0])).toBe(41.7);
  });

  it('parses values as §11.2 does, exactly, and rounds halves away from zero', () => {
    expect(totalsOf([' 1.5 ', '+2', '.5', '1e2', '12abc', '1.x', '', null, 'nan', 'inf'])).toEqual({ answers: 10, count: 4, sum: '104', squares: '10006.5' });
    // 0.1 + 0.2 is exact; 0.05 rounds up and -0.05 down (away from zero), not as Math.round would.
    expect(statisticOf(totalsOf(['0.1', '0.2']), 2)).toMatchObject({ sum: 0.3, avg: 0.2 });
    expect(statisticOf(totalsOf(['0.05']), 1)).toMatchObject({ sum: 0.1, avg: 0.1 });
    expect(statisticOf(totalsOf(['-0.05']), 1)).toMatchObject({ sum: -0.1, avg: -0.1 });
    expect(statisticOf(totalsOf(['-0.04']), 1)).toMatchObject({ sum: 0, avg: 0 });
    expect(Object.is(statisticOf(totalsOf(['-0.04']), 1)!.sum, 0)).toBe(true);
  });

  it('keeps the standard deviation exact for large close values and never negative', () => {
    const values = ['1000000000.1', '1000000000.3'];
    expect(statisticOf(totalsOf(values), 2)).toMatchObject({ avg: 1000000000.2, stdev: 0.1 });
    expect(statisticOf(totalsOf(['5', '5', '5']), 3)).toMatchObject({ stdev: 0 });
  });

  it('adds totals from several regions or paths into the same statistic', () => {
    expect(addTotals(totalsOf(['10', 'abc']), totalsOf(['20']))).toEqual(totalsOf(['10', 'abc', '20']));
  });
});

describe('numeric chart over time (spec §13.3)', () => {
  it('works the split example: Alpha and Beta ordered by name, summary on unsplit data', () => {
    const runs = [run(1, '2024-05-01')];
    const totals = [
      { pollRunId: 1, regionId: 20, totals: totalsOf(['4', '6']) },
      { pollRunId: 1, regionId: 10, totals: totalsOf(['9']) },
    ];
    const responses = [{ pollRunId: 1, regionId: 20, responses: 2 }, { pollRunId: 1, regionId: 10, responses: 1 }];
    const names = new Map([[10, 'beta'], [20, 'Alpha']]);
    const split = numericOverTime({ runs, totals, responses, name: 'Rain', split: new Map([[10, 'Beta'], [20, 'Alpha']]), t });
    expect(split.sum).toEqual([{ name: 'Alpha', data: [10] }, { name: 'Beta', data: [9] }]);
    expect(split.average).toEqual([{ name: 'Alpha', data: [5] }, { name: 'Beta', data: [9] }]);
    expect(split['response-rate']).toEqual([{ name: 'Alpha', data: [100] }, { name: 'Beta', data: [100] }]);
    expect(numericOverTime({ runs, totals, responses, name: 'Rain', split: names, t }).sum.map((s) => s.name)).toEqual(['Alpha', 'beta']);
    expect(summaryOverTime(runs, totals, responses)).toEqual({ mean: 6.3, stdev: 0, rateAverage: 100 });
    expect(split.table.columns).toEqual(['Date', 'Region', 'Sum', 'Average', 'Standard deviation', 'Response rate (%)']);
    expect(split.table.rows[0]).toEqual([{ text: '2024-05-01', href: '/pollruns/1' }, 'Alpha', 10, 5, 1, 100]);
  });

  it('charts zeros for poll runs without responses and links every point', () => {
    const runs = [run(1, '2024-05-01'), run(2, '2024-05-08'), run(3, '2024-05-15')];
    const payload = numericOverTime({
      runs,
      totals: [{ pollRunId: 1, totals: totalsOf(['10', '20', 'abc']) }, { pollRunId: 2, totals: totalsOf(['7']) }],
      responses: [{ pollRunId: 1, responses: 4 }, { pollRunId: 2, responses: 2 }],
      name: 'Pupils', split: null, t,
    });
    expect(payload).toMatchObject({
      dates: ['2024-05-01', '2024-05-08', '2024-05-15'],
      sum: [{ name: 'Pupils', data: [30, 7, 0] }],
      average: [{ name: 'Pupils', data: [15, 7, 0] }],
      stdev: [{ name: 'Pupils', data: [5, 0, 0] }],
      'response-rate': [{ name: 'Pupils', data: [75, 50, 0] }],
      pollrunUrls: ['/pollruns/1', '/pollruns/2', '/pollruns/3'],
      participationUrls: ['/pollruns/1/participation', '/pollruns/2/participation', '/pollruns/3/participation'],
    });
  });
});

describe('multiple-choice chart over time (spec §13.4)', () => {
  it('works the example: No [1, 2], Yes [3, 0], null first, natural order', () => {
    const runs = [run(1, '2024-05-01'), run(2, '2024-05-08')];
    const payload = categoricalOverTime({
      runs,
      categories: [
        { pollRunId: 1, category: 'Yes', answers: 3 }, { pollRunId: 1, category: 'No', answers: 1 }, { pollRunId: 2, category: 'No', answers: 2 },
      ],
      t,
    });
    expect(payload.series).toEqual([
      { name: 'No', data: [{ y: 1, url: '/pollruns/1' }, { y: 2, url: '/pollruns/2' }] },
      { name: 'Yes', data: [{ y: 3, url: '/pollruns/1' }, { y: 0, url: '/pollruns/2' }] },
    ]);
    expect(payload.table.rows).toEqual([
      [{ text: '2024-05-01', href: '/pollruns/1' }, 'No', 1, 25],
      [{ text: '2024-05-01', href: '/pollruns/1' }, 'Yes', 3, 75],
      [{ text: '2024-05-08', href: '/pollruns/2' }, 'No', 2, 100],
    ]);
    const natural = categoricalOverTime({
      runs: [run(1, '2024-05-01')],
      categories: ['Other', '<50', '11-200', '11-20', '6-10', '2-5', null].map((category) => ({ pollRunId: 1, category, answers: 1 })),
      t,
    });
    expect(natural.series.map((s) => s.name)).toEqual(['No category', '2-5', '6-10', '11-20', '11-200', '<50', 'Other']);
  });
});
