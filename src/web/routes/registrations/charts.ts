import { Router, type Request, type Response } from 'express';
import { loadConfig } from '../../../registrations/config.js';
import { localDay, type Interval } from '../../../registrations/metrics/buckets.js';
import { parseMetricName } from '../../../registrations/metrics/names.js';
import { readSeries, type Series } from '../../../registrations/metrics/series.js';
import { orgDb } from '../../../tenancy/orgDb.js';
import { access } from '../../access.js';
import { validate } from '../../middleware/validate.js';
import { filtersOf, type FilterInput } from './filters.js';
import { RegistrationsBreakdownSchema, RegistrationsChartSchema, type BreakdownFamily } from './schema.js';

type ChartInput = FilterInput & { interval: Interval };

/** The series of the metrics over the filters' period, with their labels (local days; hours in UTC). */
async function seriesOf(req: Request, names: string[]): Promise<{ labels: string[]; series: Series[] }> {
  const input = req.input as ChartInput;
  const filters = await filtersOf(req.org!.id, input);
  const { timezone } = await loadConfig(req.org!.id);
  const series = await readSeries(req.org!.id, names.map((n) => parseMetricName(n)!), { from: filters.from, to: filters.to, interval: input.interval, timeZone: timezone, sourceIds: filters.sources });
  // Buckets start at local midnights: labelled by their local day.
  const labels = (series[0]?.points ?? []).map(([at]) => (input.interval === '1h' ? at.slice(0, 16) : localDay(new Date(at), timezone)));
  return { labels, series };
}

/** GET /registrations/charts/created.json: registrations per bucket and the running total, of the chosen sources. */
async function created(req: Request, res: Response) {
  const { labels, series } = await seriesOf(req, ['registrations.created.sum', 'registrations.created.total.last']);
  const [sum, total] = series.map((s) => s.points.map(([, v]) => v)) as [number[], number[]];
  res.json({
    labels,
    datasets: [
      { label: req.t('Registrations'), type: 'bar', data: sum },
      { label: req.t('Running total'), type: 'line', data: total, yAxisID: 'y1' },
    ],
    table: { columns: [req.t('Period'), req.t('Registrations'), req.t('Running total')], rows: labels.map((l, i) => [l, sum[i]!, total[i]!]) },
  });
}

const FAMILY_LIST = { msg_type: 'msgTypes', receiver_type: 'receiverTypes', language: 'languages', state: 'states', role: 'roles' } as const;

/** The values of a breakdown (spec §9.3) and their metrics: the org's list, or its sources. */
async function breakdownValues(orgId: number, family: BreakdownFamily): Promise<{ label: string; name: string }[]> {
  if (family === 'source') {
    const sources = await orgDb(orgId).registrationSource.findMany({ orderBy: [{ name: 'asc' }, { slug: 'asc' }], select: { name: true, slug: true } });
    return sources.map((s) => ({ label: s.name, name: `registrations.source.${s.slug}.sum` }));
  }
  const config = await loadConfig(orgId);
  return config[FAMILY_LIST[family]].map((value) => ({ label: value, name: `registrations.${family}.${value}.sum` }));
}

/** GET /registrations/charts/breakdown.json?family=…: registrations per bucket, stacked by the family's values. */
async function breakdown(req: Request, res: Response) {
  const { family } = req.input as { family: BreakdownFamily };
  const values = await breakdownValues(req.org!.id, family);
  const { labels, series } = await seriesOf(req, values.map((v) => v.name));
  const data = series.map((s) => s.points.map(([, v]) => v));
  res.json({
    labels,
    stacked: true,
    datasets: values.map((v, i) => ({ label: v.label, type: 'bar', data: data[i]! })),
    table: { columns: [req.t('Period'), ...values.map((v) => v.label)], rows: labels.map((l, i) => [l, ...data.map((d) => d[i]!)]) },
  });
}

/** Chart JSON of the Registrations page, behind the page's guard. */
export const registrationChartsRouter = Router()
  .get('/registrations/charts/created.json', access.member('registrations:read'), validate(RegistrationsChartSchema, 'query'), created)
  .get('/registrations/charts/breakdown.json', access.member('registrations:read'), validate(RegistrationsBreakdownSchema, 'query'), breakdown);
