import { z } from 'zod';
import { msg } from '../i18n/msg.js';
import type { RegionContext } from '../regions/context.js';
import { DATE_RANGES, isDay, localDay, rangeDays, rangeInstants, type DateRangeChoice, type InstantRange } from './dateRange.js';

/**
 * Dashboard filters (spec §20), all carried in the URL so every view can be bookmarked and shared.
 * Dates are counted on the org's calendar (spec §13.9 recommends org-local dates; poll runs are
 * bucketed by org-local day too, D5): "today", the month and the range ends are org-local, and a
 * range ends at the start of the org-local day after its last day.
 */

/** What the numeric charts show (spec §20.3); switched in the page without a reload. */
export const NUMERIC_MODES = ['sum', 'average', 'response-rate'] as const;
export type NumericMode = (typeof NUMERIC_MODES)[number];

/** Longest contact-field filter text kept. */
export const CONTACT_FILTER_MAX = 255;

const INVALID_CHOICE = msg('Select a valid choice. That choice is not one of the available choices.');
const blank = (v: unknown) => (v === '' || v === null ? undefined : v);
const text = z.preprocess(blank, z.string().trim().optional());
// A checkbox: present ("on", "1", "true") is true, absent false.
const checkbox = z.preprocess((v) => v === 'on' || v === '1' || v === 'true', z.boolean());

/** The poll page's query (spec §13.2, §20.1, §20.3); contact fields are read beside it. */
export const PollChartQuerySchema = z.object({
  dateRange: z.preprocess(blank, z.enum(DATE_RANGES, { error: INVALID_CHOICE }).default('month')),
  startDate: text,
  endDate: text,
  numeric: z.preprocess(blank, z.enum(NUMERIC_MODES, { error: INVALID_CHOICE }).default('sum')),
  splitByRegion: checkbox,
  group: z.preprocess(blank, z.coerce.number({ error: INVALID_CHOICE }).int(INVALID_CHOICE).positive(INVALID_CHOICE).optional()),
});

/** The poll-run summary's query (spec §13.6): a reporter group and contact fields. */
export const PollRunChartQuerySchema = PollChartQuerySchema.pick({ group: true });

/** The filters of a poll page, as parsed and as the form shows them back. */
export interface ChartFilters {
  dateRange: DateRangeChoice;
  /** The range's first and last day (computed for every choice but custom; echoed into the form). */
  startDate: string | null;
  endDate: string | null;
  numeric: NumericMode;
  splitByRegion: boolean;
  /** A reporter group (counters key on it; null: every contact). */
  group: number | null;
  /** Visible data-field key → text the contact's value must contain (case-insensitive, §20.2). */
  contact: Record<string, string>;
}

/** Filters of a poll-run page: the subset that narrows contacts. */
export type ContactFilters = Pick<ChartFilters, 'group' | 'contact'>;

/** What parsing needs to know of the org. */
export interface FilterOptions {
  /** Keys of the visible data fields (the contact_<key> inputs). */
  fieldKeys: string[];
  /** Ids of the org's active reporter groups. */
  groupIds: number[];
  /** The org's time zone. */
  timeZone: string;
  /** Now (tests pin it). */
  now?: Date;
}

type Parsed<T> = { filters: T; errors: Record<string, string> };

function fieldErrors(error: z.ZodError): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) fields[issue.path.join('.') || 'form'] ??= issue.message;
  return fields;
}

/**
 * Reads the contact_<key> filters of the visible data fields; others are ignored.
 * @param query the request query.
 * @param fieldKeys the visible data-field keys.
 * @returns key → trimmed text, empty ones left out.
 */
export function readContactFilters(query: Record<string, unknown>, fieldKeys: string[]): Record<string, string> {
  const contact: Record<string, string> = {};
  for (const key of fieldKeys) {
    const value = query[`contact_${key}`];
    if (typeof value === 'string' && value.trim()) contact[key] = value.trim().slice(0, CONTACT_FILTER_MAX);
  }
  return contact;
}

function checkGroup(group: number | undefined, options: FilterOptions, errors: Record<string, string>): number | null {
  if (group === undefined) return null;
  if (!options.groupIds.includes(group)) errors.group = INVALID_CHOICE;
  return group;
}

/**
 * Parses the poll page's filters (spec §20). A custom range needs at least one valid day and a
 * start not after the end; other choices compute their days and ignore submitted ones.
 * @param query the request query.
 * @param options the org's fields, groups and time zone.
 * @returns the filters and field errors (empty when valid).
 */
export function parseChartFilters(query: Record<string, unknown>, options: FilterOptions): Parsed<ChartFilters> {
  const parsed = PollChartQuerySchema.safeParse(query);
  const errors = parsed.success ? {} : fieldErrors(parsed.error);
  const data = parsed.success ? parsed.data : PollChartQuerySchema.parse({ ...query, ...Object.fromEntries(Object.keys(errors).map((k) => [k, undefined])) });
  const today = localDay(options.now ?? new Date(), options.timeZone);
  let days = rangeDays(data.dateRange, today);
  if (data.dateRange === 'custom') {
    const start = data.startDate ?? null;
    const end = data.endDate ?? null;
    if (start !== null && !isDay(start)) errors.startDate = msg('Enter a valid date.');
    if (end !== null && !isDay(end)) errors.endDate = msg('Enter a valid date.');
    if (start === null && end === null) errors.form = msg('Enter a start date, an end date or both.');
    else if (!errors.startDate && !errors.endDate && start !== null && end !== null && start > end) errors.endDate = msg('The end date must not be before the start date.');
    days = { start, end };
  }
  const filters: ChartFilters = {
    dateRange: data.dateRange,
    startDate: days.start,
    endDate: days.end,
    numeric: data.numeric,
    splitByRegion: data.splitByRegion,
    group: checkGroup(data.group, options, errors),
    contact: readContactFilters(query, options.fieldKeys),
  };
  return { filters, errors };
}

/**
 * Parses the poll-run summary's filters: a reporter group and contact fields.
 * @param query the request query.
 * @param options the org's fields and groups.
 * @returns the filters and field errors.
 */
export function parseContactFilters(query: Record<string, unknown>, options: Omit<FilterOptions, 'timeZone'>): Parsed<ContactFilters> {
  const parsed = PollRunChartQuerySchema.safeParse(query);
  const errors = parsed.success ? {} : fieldErrors(parsed.error);
  const group = parsed.success ? parsed.data.group : undefined;
  return { filters: { group: checkGroup(group, { ...options, timeZone: 'UTC' }, errors), contact: readContactFilters(query, options.fieldKeys) }, errors };
}

/**
 * The instants the date filter covers, for `start ≤ conductedOn < endExclusive`.
 * @param filters parsed, valid filters.
 * @param timeZone the org's zone.
 * @returns the instants.
 */
export function filterInstants(filters: Pick<ChartFilters, 'startDate' | 'endDate'>, timeZone: string): InstantRange {
  return rangeInstants({ start: filters.startDate, end: filters.endDate }, timeZone);
}

/**
 * Serialises filters to a query string, region context included, so chart points, tabs and chart
 * JSON carry the same view; defaults and empty values are left out (spec §20.1).
 * @param filters the filters to carry (a poll run's links carry only group and contact fields).
 * @param regions the request's region context (`region`, `sub`, read per request by regionContext).
 * @returns `a=1&b=2`, or '' when nothing is set.
 */
export function filterQuery(filters: Partial<ChartFilters>, regions?: Pick<RegionContext, 'current' | 'includeSubregions'> | null): string {
  const params = new URLSearchParams();
  if (filters.dateRange && filters.dateRange !== 'month') params.set('dateRange', filters.dateRange);
  if (filters.dateRange === 'custom') {
    if (filters.startDate) params.set('startDate', filters.startDate);
    if (filters.endDate) params.set('endDate', filters.endDate);
  }
  if (filters.numeric && filters.numeric !== 'sum') params.set('numeric', filters.numeric);
  if (filters.splitByRegion) params.set('splitByRegion', 'on');
  if (filters.group) params.set('group', String(filters.group));
  for (const [key, value] of Object.entries(filters.contact ?? {})) params.set(`contact_${key}`, value);
  if (regions) {
    params.set('region', regions.current ? String(regions.current.id) : 'all');
    params.set('sub', regions.includeSubregions ? '1' : '0');
  }
  return params.toString();
}

/**
 * A path with the filters' query string.
 * @param path the path.
 * @param query a query string from filterQuery.
 * @returns `path?query`, or the path alone.
 */
export function withQuery(path: string, query: string): string {
  return query ? `${path}?${query}` : path;
}
