import { describe, expect, it } from 'vitest';

type Dataset = { label: string; data: number[]; stack: string; fill: string | false; borderColor: string };
const { datasets } = (await import('../../static/js/charts/indicator.js' as string)) as { datasets: (series: object[]) => Dataset[] };

describe('the indicator chart\'s datasets (static/js/charts/indicator.js)', () => {
  it('draws the baseline and the follow-up as areas from zero, each in its own stack', () => {
    const shaped = datasets([{ name: 'Baseline', kind: 'baseline', data: [90, 90] }, { name: 'Follow up', kind: 'followUp', data: [83, 47] }]);
    expect(shaped.map((d) => [d.label, d.data, d.stack, d.fill])).toEqual([['Baseline', [90, 90], 'baseline', 'origin'], ['Follow up', [83, 47], 'followUp', 'origin']]);
  });

  it('stacks the regions up to the follow-up total, which becomes a line over them, each region in its own colour', () => {
    const shaped = datasets([
      { name: 'Baseline', kind: 'baseline', data: [90] }, { name: 'Follow up', kind: 'followUp', data: [83] },
      { name: 'North', kind: 'region', data: [45] }, { name: 'South', kind: 'region', data: [38] }, { name: 'West', kind: 'region', data: [0] },
    ]);
    expect(shaped.map((d) => [d.label, d.stack, d.fill])).toEqual([
      ['Baseline', 'baseline', 'origin'], ['Follow up', 'followUp', false], ['North', 'regions', 'origin'], ['South', 'regions', '-1'], ['West', 'regions', '-1'],
    ]);
    const colours = shaped.slice(1).map((d) => d.borderColor);
    expect(new Set(colours).size).toBe(colours.length);
  });
});
