import { Router, type Request, type Response } from 'express';
import { loadConfig, type RegistrationConfig } from '../../../registrations/config.js';
import { csvCell } from '../../../registrations/dashboard.js';
import { localDay, type Interval } from '../../../registrations/metrics/buckets.js';
import { CHANGE_METRICS, parseMetricName } from '../../../registrations/metrics/names.js';
import { readSeries, type Series } from '../../../registrations/metrics/series.js';
import { otherOptoutSources } from '../../../registrations/optoutDimensions.js';
import { orgDb } from '../../../tenancy/orgDb.js';
import { access } from '../../access.js';
import { validate } from '../../middleware/validate.js';
import { filtersOf, type FilterInput } from './filters.js';
import { RegistrationsBreakdownSchema, RegistrationsChartSchema, RegistrationsOptoutChartSchema, type BreakdownFamily, type OptoutFamily } from './schema.js';

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

/** A chart's JSON: labels, Chart.js datasets, and the table shown under it (and exported as CSV). */
interface ChartPayload {
  labels: string[];
  stacked?: boolean;
  datasets: { label: string; type: 'bar' | 'line'; data: number[]; yAxisID?: string }[];
  table: { columns: string[]; rows: (string | number)[][] };
}

/**
 * Answers a chart as JSON, or its table as a CSV file when the path ends in .csv (spec §9.9: CSV of
 * any displayed series).
 */
function send(req: Request, res: Response, name: string, payload: ChartPayload) {
  if (!req.path.endsWith('.csv')) return res.json(payload);
  const input = req.input as ChartInput;
  res.setHeader('Content-Type', 'text/csv; charset=utf-8');
  res.setHeader('Content-Disposition', `attachment; filename="${name}-${input.from ?? ''}-${input.to ?? ''}.csv"`);
  res.send([payload.table.columns, ...payload.table.rows].map((row) => `${row.map(csvCell).join(',')}\n`).join(''));
}

/**
 * Stacked bars of one series per value, with a table of one column per value; `other` adds one
 * more, the sum of its metrics' series.
 */
async function stackedChart(req: Request, values: { label: string; name: string }[], other?: { label: string; names: string[] }): Promise<ChartPayload> {
  const { labels, series } = await seriesOf(req, [...values.map((v) => v.name), ...(other?.names ?? [])]);
  const data = series.map((s) => s.points.map(([, v]) => v));
  const columns = values.map((v) => v.label);
  if (other) {
    const rest = data.splice(values.length);
    data.push(labels.map((_, i) => rest.reduce((n, d) => n + d[i]!, 0)));
    columns.push(other.label);
  }
  return {
    labels,
    stacked: true,
    datasets: columns.map((label, i) => ({ label, type: 'bar', data: data[i]! })),
    table: { columns: [req.t('Period'), ...columns], rows: labels.map((l, i) => [l, ...data.map((d) => d[i]!)]) },
  };
}

/** GET /registrations/charts/created.(json|csv): registrations per bucket and the running total, of the chosen sources. */
async function created(req: Request, res: Response) {
  const { labels, series } = await seriesOf(req, ['registrations.created.sum', 'registrations.created.total.last']);
  const [sum, total] = series.map((s) => s.points.map(([, v]) => v)) as [number[], number[]];
  send(req, res, 'registrations', {
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

/** GET /registrations/charts/breakdown.(json|csv)?family=…: registrations per bucket, stacked by the family's values. */
async function breakdown(req: Request, res: Response) {
  const { family } = req.input as { family: BreakdownFamily };
  send(req, res, `registrations-${family}`, await stackedChart(req, await breakdownValues(req.org!.id, family)));
}

/**
 * The change kinds of spec §8.3 with their labels, in the reader's language.
 * @param t the request's translator.
 * @returns segment (as in `registrations.change.<segment>.sum`) and label.
 */
export function changeKinds(t: Request['t']): { kind: string; label: string }[] {
  const labels: Record<string, string> = {
    language: t('Language'), messaging: t('Messaging'), pregnant_to_baby: t('Pregnancy to baby'), pregnant_to_loss: t('Pregnancy to loss'),
  };
  return Object.keys(CHANGE_METRICS).map((kind) => ({ kind, label: labels[kind] ?? kind }));
}

/** GET /registrations/charts/changes.(json|csv): changes per bucket, stacked by kind (spec §9.5). */
async function changes(req: Request, res: Response) {
  send(req, res, 'changes', await stackedChart(req, changeKinds(req.t).map(({ kind, label }) => ({ label, name: `registrations.change.${kind}.sum` }))));
}

const OPTOUT_LIST = { reason: 'optoutReasons', source: 'optoutSources', receiver_type: 'receiverTypes', msg_type: 'msgTypes' } as const;

/**
 * The values of an opt-out family (spec §8.4): the org's list.
 * @param config the org's configuration.
 * @param family the family.
 * @returns the values.
 */
export function optoutValues(config: RegistrationConfig, family: OptoutFamily): string[] {
  return config[OPTOUT_LIST[family]];
}

/** GET /registrations/charts/optouts.(json|csv)?family=…: opt-out notifications per bucket, stacked by the family's values, sources outside the list as one (spec §8.4, §9.6). */
async function optouts(req: Request, res: Response) {
  const { family } = req.input as { family: OptoutFamily };
  const config = await loadConfig(req.org!.id);
  const values = optoutValues(config, family).map((value) => ({ label: value, name: `optout.${family}.${value}.sum` }));
  const others = family === 'source' ? (await otherOptoutSources(req.org!.id, config)).map((value) => `optout.source.${value}.sum`) : [];
  send(req, res, `optouts-${family}`, await stackedChart(req, values, others.length ? { label: req.t('Other sources'), names: others } : undefined));
}

/** A chart's JSON route and its CSV twin. */
const paths = (chart: string) => [`/registrations/charts/${chart}.json`, `/registrations/charts/${chart}.csv`];

/** Chart JSON (and CSV) of the Registrations page, behind the page's guard. */
export const registrationChartsRouter = Router()
  .get(paths('created'), access.member('registrations:read'), validate(RegistrationsChartSchema, 'query'), created)
  .get(paths('breakdown'), access.member('registrations:read'), validate(RegistrationsBreakdownSchema, 'query'), breakdown)
  .get(paths('changes'), access.member('registrations:read'), validate(RegistrationsChartSchema, 'query'), changes)
  .get(paths('optouts'), access.member('registrations:read'), validate(RegistrationsOptoutChartSchema, 'query'), optouts);
