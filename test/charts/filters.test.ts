import { describe, expect, it } from 'vitest';
import { addToDay, rangeDays, rangeInstants, startOfDay } from '../../src/dashboard/dateRange.js';
import { filterQuery, parseChartFilters, parseContactFilters } from '../../src/dashboard/filters.js';

const options = (now: string, timeZone = 'UTC') => ({ fieldKeys: ['gender', 'age'], groupIds: [7], timeZone, now: new Date(now) });

describe('date ranges (spec §20.1)', () => {
  it('works the examples with a fixed today', () => {
    expect(rangeDays('90-days', '2024-04-18')).toEqual({ start: '2024-01-19', end: '2024-04-18' });
    expect(rangeInstants(rangeDays('90-days', '2024-04-18'), 'UTC')).toEqual({ start: new Date('2024-01-19T00:00:00Z'), endExclusive: new Date('2024-04-19T00:00:00Z') });
    expect(rangeDays('month', '2024-02-10')).toEqual({ start: '2024-02-01', end: '2024-02-29' });
    expect(rangeInstants(rangeDays('month', '2024-02-10'), 'UTC').endExclusive).toEqual(new Date('2024-03-01T00:00:00Z'));
    expect(rangeDays('6-months', '2024-08-31')).toEqual({ start: '2024-02-29', end: '2024-08-31' });
    expect(rangeDays('12-months', '2024-02-29')).toEqual({ start: '2023-02-28', end: '2024-02-29' });
    expect(rangeDays('30-days', '2024-03-01')).toEqual({ start: '2024-01-31', end: '2024-03-01' });
    expect(addToDay('2024-01-31', { months: 1 })).toBe('2024-02-29');
  });

  it('counts days on the org calendar: today, the month and the bounds are org-local', () => {
    // 22:00 UTC on Apr 30 is already May 1 in Kabul (UTC+04:30).
    const parsed = parseChartFilters({}, options('2024-04-30T22:00:00Z', 'Asia/Kabul'));
    expect(parsed.filters).toMatchObject({ dateRange: 'month', startDate: '2024-05-01', endDate: '2024-05-31' });
    expect(startOfDay('2024-05-01', 'Asia/Kabul')).toEqual(new Date('2024-04-30T19:30:00Z'));
    expect(rangeInstants({ start: null, end: '2024-05-01' }, 'America/New_York')).toEqual({ start: null, endExclusive: new Date('2024-05-02T04:00:00Z') });
  });
});

describe('chart filters (spec §20)', () => {
  it('defaults to the current month, sum, no split, every contact', () => {
    expect(parseChartFilters({}, options('2024-04-18T10:00:00Z'))).toEqual({
      filters: { dateRange: 'month', startDate: '2024-04-01', endDate: '2024-04-30', numeric: 'sum', splitByRegion: false, group: null, contact: {} },
      errors: {},
    });
  });

  it('discards submitted dates for computed choices and echoes the computed ones', () => {
    const { filters, errors } = parseChartFilters({ dateRange: '90-days', startDate: 'nonsense', endDate: '2020-01-01' }, options('2024-04-18T10:00:00Z'));
    expect(errors).toEqual({});
    expect(filters).toMatchObject({ startDate: '2024-01-19', endDate: '2024-04-18' });
  });

  it('checks custom ranges: one day at least, real dates, start not after end; a missing side is unbounded', () => {
    const at = options('2024-04-18T10:00:00Z');
    expect(parseChartFilters({ dateRange: 'custom' }, at).errors).toEqual({ form: 'Enter a start date, an end date or both.' });
    expect(parseChartFilters({ dateRange: 'custom', startDate: '', endDate: '' }, at).errors).toHaveProperty('form');
    expect(parseChartFilters({ dateRange: 'custom', startDate: '2024-02-30' }, at).errors).toEqual({ startDate: 'Enter a valid date.' });
    expect(parseChartFilters({ dateRange: 'custom', startDate: '2024-03-02', endDate: '2024-03-01' }, at).errors).toEqual({ endDate: 'The end date must not be before the start date.' });
    const open = parseChartFilters({ dateRange: 'custom', endDate: '2024-03-01' }, at);
    expect(open).toMatchObject({ errors: {}, filters: { startDate: null, endDate: '2024-03-01' } });
  });

  it('refuses unknown choices and groups, reads contact_<key> only for visible fields', () => {
    const at = options('2024-04-18T10:00:00Z');
    const bad = parseChartFilters({ dateRange: 'week', numeric: 'median', group: '8', contact_gender: ' fem ', contact_secret: 'x', contact_age: '' }, at);
    expect(Object.keys(bad.errors).sort()).toEqual(['dateRange', 'group', 'numeric']);
    expect(bad.filters.contact).toEqual({ gender: 'fem' });
    expect(parseChartFilters({ group: 'abc' }, at).errors).toHaveProperty('group');
    expect(parseChartFilters({ group: '7', splitByRegion: 'on', numeric: 'average' }, at).filters).toMatchObject({ group: 7, splitByRegion: true, numeric: 'average' });
    expect(parseContactFilters({ group: '7', contact_age: '3', dateRange: 'ignored' }, at)).toEqual({ filters: { group: 7, contact: { age: '3' } }, errors: {} });
    expect(parseContactFilters({ group: '9' }, at).errors).toHaveProperty('group');
  });

  it('serialises filters and the region context, leaving defaults and empty values out', () => {
    const regions = { current: { id: 12 } as never, includeSubregions: false };
    expect(filterQuery({ dateRange: 'month', startDate: '2024-04-01', numeric: 'sum', splitByRegion: false, group: null, contact: {} }, null)).toBe('');
    expect(filterQuery({ dateRange: 'custom', startDate: null, endDate: '2024-03-01', numeric: 'average', splitByRegion: true, group: 7, contact: { gender: 'fem ale' } }, regions))
      .toBe('dateRange=custom&endDate=2024-03-01&numeric=average&splitByRegion=on&group=7&contact_gender=fem+ale&region=12&sub=0');
    expect(filterQuery({ contact: { age: '3' } }, { current: null, includeSubregions: true })).toBe('contact_age=3&region=all&sub=1');
  });
});
