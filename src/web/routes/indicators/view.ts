import type { Request, Response } from 'express';
import { DATE_RANGES } from '../../../dashboard/dateRange.js';
import { filterQuery, parseChartFilters, withQuery, type ChartFilters } from '../../../dashboard/filters.js';
import { msg } from '../../../i18n/msg.js';
import { answeringRegionIds, computeIndicator, type IndicatorFilters, type IndicatorResult, type IndicatorScope } from '../../../indicators/compute.js';
import { dayOf, definitionOf, type LoadedIndicator } from '../../../indicators/definition.js';
import { presentChart, presentSummary, type IndicatorChart } from '../../../indicators/present.js';
import { can } from '../../../policies/index.js';
import { orgDb } from '../../../tenancy/orgDb.js';
import { translateErrors } from '../../forms.js';
import { fieldErrors } from '../../middleware/validate.js';
import { indicatorOf } from './pages.js';
import { IndicatorPageQuerySchema } from './schema.js';
import { indicatorScope, regionNames } from './scope.js';

const INVALID_CHOICE = msg('Select a valid choice. That choice is not one of the available choices.');

/** An indicator as one reader sees it with the page's filters. */
export interface IndicatorView {
  scope: IndicatorScope | null;
  /** The visible data fields: one contact filter each (spec §20.2). */
  fields: { key: string; label: string }[];
  chartFilters: ChartFilters;
  filters: IndicatorFilters;
  /** The page's query for the chart JSON and links (region context included). */
  query: string;
  errors: Record<string, string>;
  /** Contact regions offered, by name. */
  regionChoices: { id: number; name: string }[];
  /** Null: no data (no follow-up poll run), invalid filters, or no region. */
  result: IndicatorResult | null;
}

/**
 * The chart's query string: the dashboard filters (region context included), the date choice
 * always written (the indicator's default is its own term, not the dashboard's month), a goal and
 * a contact region.
 */
function viewQuery(req: Request, chart: ChartFilters, filters: IndicatorFilters): string {
  const params = new URLSearchParams(filterQuery({ ...chart, numeric: 'sum', group: null }, req.regions));
  params.set('dateRange', chart.dateRange);
  if (filters.goal !== null) params.set('goal', filters.goal);
  if (filters.contactRegionId !== null) params.set('contactRegion', String(filters.contactRegionId));
  return params.toString();
}

/**
 * Reads the indicator page's filters (spec §17.11; the dashboard's date choices and contact field
 * filters of §20) and computes the indicator for the reader's region context. Without a date
 * choice the range is the indicator's own term (custom).
 * @param req the request.
 * @param indicator the indicator.
 * @returns the view.
 */
export async function indicatorView(req: Request, indicator: LoadedIndicator): Promise<IndicatorView> {
  const [scope, fields] = await Promise.all([
    indicatorScope(req),
    orgDb(req.org!.id).dataField.findMany({ where: { visible: true }, orderBy: [{ label: 'asc' }, { key: 'asc' }], select: { key: true, label: true } }),
  ]);
  const raw = req.query as Record<string, unknown>;
  const query = raw.dateRange ? raw : { ...raw, dateRange: 'custom', startDate: raw.startDate ?? dayOf(indicator.startDate), endDate: raw.endDate ?? dayOf(indicator.endDate) };
  const { filters: chart, errors } = parseChartFilters(query, { fieldKeys: fields.map((f) => f.key), groupIds: [], timeZone: req.org!.timezone });
  const page = IndicatorPageQuerySchema.safeParse(raw);
  if (!page.success) Object.assign(errors, fieldErrors(page.error));
  const window = errors.startDate || errors.endDate || errors.form
    ? { start: dayOf(indicator.startDate), end: dayOf(indicator.endDate) }
    : { start: chart.startDate, end: chart.endDate };
  const definition = definitionOf(indicator);
  const names = regionNames(req);
  const regionChoices = scope
    ? (await answeringRegionIds(definition, scope, window))
      .filter((id) => names.has(id))
      .map((id) => ({ id, name: names.get(id)! }))
      .sort((a, b) => a.name.localeCompare(b.name, undefined, { sensitivity: 'base' }))
    : [];
  const contactRegionId = page.success ? (page.data.contactRegion ?? null) : null;
  if (contactRegionId !== null && !regionChoices.some((r) => r.id === contactRegionId)) errors.contactRegion = INVALID_CHOICE;
  const filters: IndicatorFilters = {
    window,
    goal: page.success ? (page.data.goal ?? null) : null,
    contactRegionId,
    fieldFilters: Object.entries(chart.contact).map(([key, value]) => ({ key, value })),
    splitByRegion: chart.splitByRegion,
  };
  const valid = !Object.keys(errors).length;
  const result = scope && valid ? await computeIndicator(definition, scope, filters) : null;
  return { scope, fields, chartFilters: chart, filters, query: viewQuery(req, chart, filters), errors: translateErrors(errors, req.t), regionChoices, result };
}

/**
 * The chart JSON of an indicator view.
 * @param req the request.
 * @param indicator the indicator.
 * @param view the computed view (with a result).
 * @returns the chart.
 */
export function chartOf(req: Request, indicator: LoadedIndicator, view: IndicatorView & { result: IndicatorResult }): IndicatorChart {
  const regionQuery = filterQuery({}, req.regions);
  return presentChart(indicator, view.result, {
    t: req.t,
    language: req.language,
    regionNames: regionNames(req),
    pollRunUrl: (id) => (indicator.followUpPoll.isActive ? withQuery(`/pollruns/${id}`, regionQuery) : null),
  });
}

/** GET /indicators/:id: filters, chart and summary table (spec §14.5, §17.11). */
export async function show(req: Request, res: Response) {
  const indicator = await indicatorOf(req);
  const view = await indicatorView(req, indicator);
  res.render('pages/indicators/show.njk', {
    indicator,
    view,
    noRegions: !view.scope,
    dateRanges: DATE_RANGES,
    chartSrc: withQuery(`/indicators/${indicator.id}/chart`, view.query),
    summary: view.result ? presentSummary(indicator, view.result, view.filters.window, { t: req.t, language: req.language }) : null,
    canManage: can(req.actor!, 'indicators:manage'),
    filtersOpen: Object.keys(view.errors).length > 0 || Object.keys(req.query).some((k) => k !== 'region' && k !== 'sub'),
  });
}

/** GET /indicators/:id/chart: the chart JSON for the same filters; 400 for invalid ones, `null` data for none. */
export async function chart(req: Request, res: Response) {
  const indicator = await indicatorOf(req);
  const view = await indicatorView(req, indicator);
  if (Object.keys(view.errors).length) return res.status(400).json({ errors: view.errors });
  res.json(view.result ? chartOf(req, indicator, { ...view, result: view.result }) : null);
}
