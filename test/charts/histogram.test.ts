import { describe, expect, it } from 'vitest';
import { histogram } from '../../src/charts/histogram.js';
import { categoryChart, histogramChart } from '../../src/charts/pollRunCharts.js';
import { statisticOf, totalsOf } from '../../src/charts/statistics.js';

const each = (...values: (string | null)[]) => values.map((v) => [v, 1] as const);
const t = (key: string) => key;

describe('automatic histogram (spec §13.6.1)', () => {
  it('works the examples: 2, 3, 3, 9, 10 in three bins; 5, 5 in one', () => {
    expect(histogram(each('2', '3', '3', '9', '10'))).toEqual({ categories: ['2.0-4.67', '4.67-7.33', '7.33-10.0'], data: [3, 0, 2] });
    expect(histogram(each('5', '5'))).toEqual({ categories: ['4.5-5.5'], data: [2] });
    expect(statisticOf(totalsOf(['2', '3', '3', '9', '10']), 5)).toMatchObject({ avg: 5.4, stdev: 3.4 });
  });

  it('skips non-numeric values, is empty without numbers, and weighs grouped values', () => {
    expect(histogram(each('abc', null, ''))).toEqual({ categories: [], data: [] });
    expect(histogram([['2', 1], ['3', 2], ['x', 7], ['9', 1], ['10', 1]])).toEqual(histogram(each('2', '3', '3', '9', '10')));
  });

  it('puts values on an inner edge in the bin to the right, the maximum in the last bin', () => {
    // 0..8 with 9 values → 3 bins of width 8/3: edges 0, 2.67, 5.33, 8.
    expect(histogram(each('0', '1', '2', '3', '4', '5', '6', '7', '8'))).toEqual({ categories: ['0.0-2.67', '2.67-5.33', '5.33-8.0'], data: [3, 3, 3] });
    // 0, 2, 4, 4 → two bins with edges 0, 2, 4: the 2 on the inner edge goes right, the maximum stays in.
    expect(histogram(each('0', '2', '4', '4'))).toEqual({ categories: ['0.0-2.0', '2.0-4.0'], data: [1, 3] });
    expect(histogram(each('-1.5', '-1.5', '0', '4.5'))).toEqual({ categories: ['-1.5-1.5', '1.5-4.5'], data: [3, 1] });
  });

  it('builds the bar payloads: histogram and category counts in natural order', () => {
    expect(histogramChart(each('5', '5'), t)).toEqual({ kind: 'bar', categories: ['4.5-5.5'], data: [2], table: { columns: ['Range', 'Answers'], rows: [['4.5-5.5', 2]] } });
    const pie = categoryChart('pie', [{ category: '11-20', answers: 2 }, { category: '2-5', answers: 1 }, { category: null, answers: 4 }, { category: 'x', answers: 0 }], t);
    expect(pie).toMatchObject({ kind: 'pie', categories: ['No category', '2-5', '11-20'], data: [4, 1, 2] });
  });
});
