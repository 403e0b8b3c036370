import type { Request } from 'express';
import { filterQuery, withQuery } from '../../../dashboard/filters.js';
import { dayOf } from '../../../indicators/definition.js';
import { chooseFeatured } from '../../../indicators/featured.js';
import { termLabel } from '../../../indicators/present.js';

/** What views/partials/featuredIndicator.njk shows. */
export interface FeaturedIndicatorLocals {
  recent: { id: number; name: string; endDate: Date; featured: boolean }[];
  /** The featured indicator's chart (data from its JSON route) and term, or null. */
  featured: { id: number; name: string; chartSrc: string; term: string } | null;
}

/**
 * The home page's featured indicator and recent indicators (spec §14.6, §17.2 item 1). The chart
 * is charted by the browser from /indicators/:id/chart with the default filters (the indicator's
 * own term) and the reader's region context, so the home page itself reads only the choice.
 * @param req the request (org and region context loaded).
 * @returns the partial's locals.
 */
export async function featuredIndicatorLocals(req: Request): Promise<FeaturedIndicatorLocals> {
  const { recent, featured } = await chooseFeatured(req.org!.id, req.org!.timezone);
  const chartOf = (indicator: NonNullable<typeof featured>) => {
    const window = { start: dayOf(indicator.startDate), end: dayOf(indicator.endDate) };
    const query = filterQuery({ dateRange: 'custom', startDate: window.start, endDate: window.end }, req.regions);
    return { id: indicator.id, name: indicator.name, chartSrc: withQuery(`/indicators/${indicator.id}/chart`, query), term: termLabel(window, [], req.language) };
  };
  return {
    recent: recent.map((i) => ({ id: i.id, name: i.name, endDate: i.endDate, featured: i.id === featured?.id })),
    featured: featured ? chartOf(featured) : null,
  };
}
