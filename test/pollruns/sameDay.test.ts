import { describe, expect, it } from 'vitest';
import { valueToUse } from '../../src/pollruns/sameDay.js';
import { readOrgSettings } from '../../src/tenancy/orgSettings.js';

describe('valueToUse (§10.2, §24.11)', () => {
  const first = { value: '3', lastValue: '5', sumValue: '8.0' };
  const second = { value: '5', lastValue: '5', sumValue: '8.0' };

  it('gives both same-day answers of a numeric question the last value, or the sum once the org setting flips', () => {
    expect([first, second].map((a) => valueToUse(a, 'numeric', 'use_last'))).toEqual(['5', '5']);
    expect([first, second].map((a) => valueToUse(a, 'numeric', 'sum'))).toEqual(['8.0', '8.0']);
  });

  it('uses the raw value for other question types', () => {
    expect(valueToUse(first, 'multiple_choice', 'sum')).toBe('3');
    expect(valueToUse(first, 'open', 'use_last')).toBe('3');
  });

  it('defaults the org setting to use_last', () => {
    expect(readOrgSettings({}).sameDayMode).toBe('use_last');
    expect(readOrgSettings({ sameDayMode: 'sum' }).sameDayMode).toBe('sum');
  });
});
