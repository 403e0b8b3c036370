import { Router, type Request, type Response } from 'express';
import { loadConfig } from '../../../registrations/config.js';
import { parseMetricName } from '../../../registrations/metrics/names.js';
import { catalogueFor, currentValues, prometheusText, startReconcile, startRecompute } from '../../../registrations/metrics/reads.js';
import { readSeries } from '../../../registrations/metrics/series.js';
import { orgDb } from '../../../tenancy/orgDb.js';
import { ApiError, parseOrThrow } from './errors.js';
import { presentJobRun } from './present.js';
import { MetricsCurrentSchema, MetricsRecomputeSchema, MetricsSeriesSchema } from './schema.js';
import { apiAccess } from './tokenAuth.js';

const MAX_SERIES_BUCKETS = 1000;

async function catalogue(req: Request, res: Response) {
  res.json({ items: await catalogueFor(req.org!.id) });
}

async function current(req: Request, res: Response) {
  const q = parseOrThrow(MetricsCurrentSchema, req.query);
  const names = q.names ?? (await catalogueFor(req.org!.id)).map((e) => e.name);
  const { values, unknown } = await currentValues(req.org!.id, names);
  if (unknown.length) throw new ApiError(400, 'unknown_metric', `Unknown metric: ${unknown.join(', ')}`, { names: unknown });
  res.json({ values, asOf: new Date().toISOString() });
}

async function series(req: Request, res: Response) {
  const q = parseOrThrow(MetricsSeriesSchema, req.query);
  const metrics = q.names.map((n) => [n, parseMetricName(n)] as const);
  const unknown = metrics.filter(([, m]) => !m).map(([n]) => n);
  if (unknown.length) throw new ApiError(400, 'unknown_metric', `Unknown metric: ${unknown.join(', ')}`, { names: unknown });
  const [from, to] = [new Date(q.from), new Date(q.to)];
  const seconds = { '1h': 3600, '1d': 86_400, '1w': 604_800, '1mo': 2_592_000 }[q.interval];
  if (from > to || (to.getTime() - from.getTime()) / 1000 / seconds > MAX_SERIES_BUCKETS) {
    throw new ApiError(400, 'invalid_range', `from must precede to, with at most ${MAX_SERIES_BUCKETS} buckets.`);
  }
  const { timezone } = await loadConfig(req.org!.id);
  res.json({ series: await readSeries(req.org!.id, metrics.map(([, m]) => m!), { from, to, interval: q.interval, timeZone: timezone }) });
}

async function recompute(req: Request, res: Response) {
  const input = parseOrThrow(MetricsRecomputeSchema, req.body);
  const result = await startRecompute(req.org!.id, input);
  if ('error' in result) throw new ApiError(400, result.error, result.message);
  res.status(202).json(result);
}

async function reconcile(req: Request, res: Response) {
  res.status(202).json({ jobId: await startReconcile(req.org!.id) });
}

async function job(req: Request, res: Response) {
  const id = String(req.params.id);
  const run = /^[0-9a-f-]{36}$/i.test(id) ? await orgDb(req.org!.id).metricJobRun.findFirst({ where: { id } }) : null;
  if (!run) throw new ApiError(404, 'not_found', 'Not found.');
  res.json(presentJobRun(run));
}

async function prometheus(req: Request, res: Response) {
  res.type('text/plain; version=0.0.4').send(await prometheusText(req.org!.id));
}

/** Metrics (spec §4.4, decision 8). */
export const metricsApiRouter = Router()
  .get('/api/v1/metrics/catalogue', apiAccess.sourceOrMember('metrics:read', 'registrations:read'), catalogue)
  .get('/api/v1/metrics/current', apiAccess.sourceOrMember('metrics:read', 'registrations:read'), current)
  .get('/api/v1/metrics/series', apiAccess.sourceOrMember('metrics:read', 'registrations:read'), series)
  .get('/api/v1/metrics/prometheus', apiAccess.source('metrics:read'), prometheus)
  .post('/api/v1/metrics/recompute', apiAccess.member('registrations:manage'), recompute)
  .post('/api/v1/metrics/reconcile', apiAccess.member('registrations:manage'), reconcile)
  .get('/api/v1/jobs/:id', apiAccess.member('registrations:manage'), job);
