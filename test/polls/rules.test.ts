import { describe, expect, it } from 'vitest';
import { allCategories, answerCategory, categorize, guessType, naturalSort, toStoredRules, type StoredRule } from '../../src/polls/rules.js';

const rule = (category: string, type: string, params: Record<string, unknown> = {}): StoredRule => ({ category, test: { type, ...params } });

describe('categorize (spec §11.3, §24 items 1-3)', () => {
  it('1. between 0–4 → low, between 4–10 → medium, gt 10 → high, number → numeric', () => {
    const rules = [rule('low', 'between', { min: 0, max: 4 }), rule('medium', 'between', { min: '4', max: '10' }), rule('high', 'gt', { test: 10 }), rule('numeric', 'number')];
    const cases: [unknown, string][] = [['0', 'low'], [4, 'low'], ['4.5', 'medium'], [10, 'medium'], ['10.01', 'high'], ['-3', 'numeric'], ['ten', 'Other'], [null, 'Other']];
    for (const [value, expected] of cases) expect(categorize(rules, value), String(value)).toBe(expected);
  });

  it('2. eq 5 → five, lt 5 → under: "5.0"→five, "4.999"→under, "5.0001"→Other', () => {
    const rules = [rule('five', 'eq', { test: 5 }), rule('under', 'lt', { test: '5' })];
    expect(categorize(rules, '5.0')).toBe('five');
    expect(categorize(rules, '4.999')).toBe('under');
    expect(categorize(rules, '5.0001')).toBe('Other');
  });

  it('3. between with min 6 and max 2 never matches; a parameter "x" makes the test fail', () => {
    for (const value of ['2', '4', '6', 0, 100]) expect(categorize([rule('never', 'between', { min: 6, max: 2 })], value)).toBe('Other');
    for (const value of ['0', '3', '-1']) expect(categorize([rule('never', 'between', { min: 'x', max: 3 })], value)).toBe('Other');
    expect(categorize([rule('never', 'gt', { test: 'x' })], '5')).toBe('Other');
    expect(categorize([rule('never', 'lt', { test: 'x' })], '5')).toBe('Other');
  });

  it('parses numbers as §11.2 says: whitespace, signs, leading-dot fractions, exponents; rejects the rest', () => {
    const five = [rule('five', 'eq', { test: '5' })];
    for (const value of [' 5 ', '+5', '5.000', '0.5e1', '50e-1', 5]) expect(categorize(five, value), String(value)).toBe('five');
    expect(categorize([rule('half', 'eq', { test: 0.5 })], '.5')).toBe('half');
    for (const value of ['12abc', 'abc12', '1.x', '', '  ', undefined, Number.NaN, Infinity]) expect(categorize([rule('n', 'number')], value), String(value)).toBe('Other');
  });

  it('compares decimals exactly, without binary float surprises', () => {
    expect(categorize([rule('sum', 'eq', { test: '0.3' })], '0.30000000000000000001')).toBe('Other');
    expect(categorize([rule('sum', 'eq', { test: 0.3 })], '0.3')).toBe('sum');
    expect(categorize([rule('big', 'gt', { test: '9007199254740992' })], '9007199254740993')).toBe('big');
    expect(categorize([rule('neg', 'lt', { test: '-0.001' })], '-0.01')).toBe('neg');
  });

  it('never passes non-numeric test types', () => {
    expect(categorize([rule('yes', 'contains_any', { test: 'yes' }), rule('t', 'true')], 'yes')).toBe('Other');
  });
});

describe('guessType (spec §11.4, §24 item 4)', () => {
  it('4. no rules → open; [number, between] → numeric; [number, contains_any] → multiple choice', () => {
    expect(guessType([])).toBe('open');
    expect(guessType([rule('a', 'number'), rule('b', 'between', { min: 1, max: 2 })])).toBe('numeric');
    expect(guessType([rule('a', 'number'), rule('b', 'contains_any', { test: 'yes' })])).toBe('multiple_choice');
  });

  it('guesses the same from the extractor’s goflow rules once stored', () => {
    const stored = toStoredRules([
      { test: 'has_number_between', args: ['0', '50'], category: '0-50' },
      { test: 'has_number_gt', args: ['100'], category: '100+' },
    ]);
    expect(stored).toEqual([rule('0-50', 'between', { min: '0', max: '50' }), rule('100+', 'gt', { test: '100' })]);
    expect(guessType(stored)).toBe('numeric');
    expect(categorize(stored, '50')).toBe('0-50');
    expect(guessType(toStoredRules([{ test: 'has_any_word', args: ['yes'], category: 'Yes' }]))).toBe('multiple_choice');
  });
});

describe('allCategories (spec §11.5, §24 item 5)', () => {
  it('5. rules [b, a, a, b] → [b, a, Other]; rules [x, y] + answer categories {y, z, ""} → [x, y, z, Other]', () => {
    const of = (...names: string[]) => names.map((n) => rule(n, 'number'));
    expect(allCategories(of('b', 'a', 'a', 'b'))).toEqual(['b', 'a', 'Other']);
    expect(allCategories(of('x', 'y'), ['y', 'z', ''])).toEqual(['x', 'y', 'z', 'Other']);
  });

  it('moves Other last and gives [Other] without rules', () => {
    expect(allCategories([rule('x', 'number'), rule('Other', 'number'), rule('y', 'number')])).toEqual(['x', 'y', 'Other']);
    expect(allCategories([])).toEqual(['Other']);
    expect(allCategories([], ['b', null, 'a', 'b'])).toEqual(['a', 'b', 'Other']);
  });
});

describe('naturalSort (spec §11.6)', () => {
  it('orders null, "2-5", "6-10", "11-20", "11-200", "<50", "Other"', () => {
    const expected = [null, '2-5', '6-10', '11-20', '11-200', '<50', 'Other'];
    expect(naturalSort(['Other', '<50', '11-200', null, '6-10', '11-20', '2-5'])).toEqual(expected);
    expect(naturalSort(['b', 'A', 'a10', 'a9'])).toEqual(['A', 'a9', 'a10', 'b']);
  });
});

describe('answerCategory (spec §24 item 10)', () => {
  it('10. {"base": "Yes", "fra": "Oui"} → "Yes"; {"kin": "Yego"} → "Yego"; "All Responses" → null', () => {
    expect(answerCategory({ base: 'Yes', fra: 'Oui' })).toBe('Yes');
    expect(answerCategory({ kin: 'Yego' })).toBe('Yego');
    expect(answerCategory('All Responses')).toBeNull();
    expect(answerCategory('No')).toBe('No');
    expect(answerCategory(null)).toBeNull();
  });
});
