import { describe, expect, it } from 'vitest';
import { categoricalMapData, mapPayload, MAP_PALETTE, numericMapData } from '../../src/charts/mapData.js';
import { totalsOf } from '../../src/charts/statistics.js';
import { allCategories, type StoredRule } from '../../src/polls/rules.js';

const rules: StoredRule[] = [
  { category: 'low', test: { type: 'between', min: '0', max: '4' } },
  { category: 'medium', test: { type: 'between', min: '4', max: '10' } },
  { category: 'high', test: { type: 'gt', test: '10' } },
  { category: 'numeric', test: { type: 'number' } },
];

describe('map data (spec §13.7)', () => {
  it('works the numeric example: averages with two decimals, categorized, boundaries without numbers left grey', () => {
    const data = numericMapData(new Map([[1, totalsOf(['3', '6'])], [2, totalsOf(['x', '12'])], [3, totalsOf(['x'])]]), rules, 'en');
    expect(data).toEqual({ 1: { average: '4.50', value: 4.5, category: 'medium' }, 2: { average: '12.00', value: 12, category: 'high' } });
    expect(numericMapData(new Map([[1, totalsOf(['1250'])]]), rules, 'en')[1]).toMatchObject({ average: '1,250.00', category: 'high' });
    // The average is rounded to two decimals (half away from zero) before it is categorized.
    expect(numericMapData(new Map([[1, totalsOf(['4.004', '4.002'])]]), rules, 'en')[1]).toMatchObject({ average: '4.00', category: 'low' });
    const payload = mapPayload(data, allCategories(rules, ['medium', 'high', '']))!;
    expect(payload.allCategories).toEqual(['low', 'medium', 'high', 'numeric', 'Other']);
    expect(payload.colours).toMatchObject({ low: MAP_PALETTE[0], medium: MAP_PALETTE[1], Other: MAP_PALETTE[4] });
    expect(payload.noDataColour).toBe('#c2aa7e');
    expect(mapPayload({}, ['Other'])).toBeNull();
  });

  it('picks the leading category per boundary, a tie going to the earlier category of the list', () => {
    const categories = allCategories([{ category: 'Yes', test: { type: 'has_text' } }, { category: 'No', test: { type: 'has_text' } }], ['Maybe']);
    expect(categories).toEqual(['Yes', 'No', 'Maybe', 'Other']);
    const data = categoricalMapData(new Map([
      [1, new Map<string | null, number>([['No', 2], ['Yes', 2], [null, 5]])],
      [2, new Map<string | null, number>([['Maybe', 1], ['No', 3]])],
      [3, new Map<string | null, number>([[null, 4], ['', 2]])],
    ]), categories);
    expect(data).toEqual({ 1: { category: 'Yes' }, 2: { category: 'No' } });
  });
});
