import { loadConfig } from '../../../registrations/config.js';
import type { DashboardFilters } from '../../../registrations/dashboard.js';
import { dayStart, localDay } from '../../../registrations/metrics/buckets.js';

/** The page's default period: today and the 29 days before it, in the org's time zone. */
const DEFAULT_DAYS = 30;

/** The Registrations page's filters as read from the query string. */
export interface FilterInput {
  from?: string;
  to?: string;
  source: string[];
}

/** Validated filters with the local days they cover. */
export type PageFilters = DashboardFilters & { fromDay: string; toDay: string };

/**
 * The period of the filters as whole local days of the org's time zone (spec §2 `timezone`), and
 * the chosen sources.
 * @param orgId the org.
 * @param input the filters of the query string.
 * @returns the filters.
 */
export async function filtersOf(orgId: number, input: FilterInput): Promise<PageFilters> {
  const { timezone } = await loadConfig(orgId);
  const toDay = input.to ?? localDay(new Date(), timezone);
  const fromDay = input.from ?? localDay(dayStart(toDay, timezone, 1 - DEFAULT_DAYS), timezone);
  const [a, b] = fromDay <= toDay ? [fromDay, toDay] : [toDay, fromDay];
  // The last millisecond of the last day: a bucket starting at the next midnight is not shown.
  return { from: dayStart(a, timezone), to: new Date(dayStart(b, timezone, 1).getTime() - 1), sources: input.source, fromDay: a, toDay: b };
}

/**
 * The query string that shows the same filters (for chart sources and links).
 * @param f the filters.
 * @param interval the interval.
 * @returns the query string, without "?".
 */
export function filterQuery(f: { fromDay: string; toDay: string; sources: string[] }, interval: string): string {
  const params = new URLSearchParams({ from: f.fromDay, to: f.toDay, interval });
  for (const s of f.sources) params.append('source', s);
  return params.toString();
}
