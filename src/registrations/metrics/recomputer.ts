import { z } from 'zod';
import type { MetricJobRun } from '../../generated/prisma/client.js';
import { orgDb } from '../../tenancy/orgDb.js';
import { adaptersFor } from '../adapters/index.js';
import { loadConfig } from '../config.js';
import { intervalBuckets, INTERVALS, parseRetentions, retentionBuckets, type Bucket } from './buckets.js';
import { AdapterError } from '../adapters/httpClient.js';
import { computeMetric } from './generator.js';
import { buildCatalogue, parseMetricName, type MetricDescriptor } from './names.js';
import { OptoutRecord } from './optoutRecord.js';

/** Plans above this many bucket × metric evaluations get a warning before they start (spec §8.6). */
export const RECOMPUTE_WARNING_EVALUATIONS = 100_000;
/** Plans above this many evaluations are refused. */
export const RECOMPUTE_MAX_EVALUATIONS = 2_000_000;
export const DEFAULT_RETENTIONS = '1m:1d,5m:1y,1h:5y';

/** The parameters of a recompute (stored on its JobRun). */
export const RecomputeParamsSchema = z.object({
  names: z.union([z.literal('all'), z.array(z.string().min(1).max(255)).min(1).max(2000)]).default('all'),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  interval: z.enum(INTERVALS).optional(),
  retentions: z.string().max(200).optional(),
  forward: z.boolean().default(false),
  /** The instant the plan is relative to (retentions mode); set when the job is created. */
  now: z.iso.datetime({ offset: true }).optional(),
});
export type RecomputeParams = z.infer<typeof RecomputeParamsSchema>;

/**
 * Resolves a recompute's metrics and buckets, or says what is wrong with the request.
 * @param orgId the org.
 * @param params the request.
 * @returns the plan, or an error code and message.
 */
export async function planRecompute(orgId: number, params: RecomputeParams): Promise<{ metrics: MetricDescriptor[]; buckets: Bucket[] } | { error: string; message: string }> {
  const config = await loadConfig(orgId);
  const sources = await orgDb(orgId).registrationSource.findMany({ select: { slug: true } });
  const catalogue = buildCatalogue(config, sources.map((s) => s.slug));
  let metrics: MetricDescriptor[];
  if (params.names === 'all') metrics = catalogue;
  else {
    const parsed = params.names.map((n) => [n, parseMetricName(n)] as const);
    const unknown = parsed.filter(([, m]) => !m).map(([n]) => n);
    if (unknown.length) return { error: 'unknown_metric', message: `Unknown metric: ${unknown.join(', ')}` };
    metrics = parsed.map(([, m]) => m!);
  }
  const now = params.now ? new Date(params.now) : new Date();
  let buckets: Bucket[];
  if (params.interval) {
    if (!params.from || !params.to) return { error: 'invalid_range', message: 'Interval mode needs from and to.' };
    const [from, to] = [new Date(params.from), new Date(params.to)];
    if (from > to) return { error: 'invalid_range', message: 'from must be before to.' };
    buckets = intervalBuckets(from, to, params.interval, config.timezone, RECOMPUTE_MAX_EVALUATIONS);
  } else {
    const pairs = parseRetentions(params.retentions ?? DEFAULT_RETENTIONS);
    if (!pairs) return { error: 'invalid_retentions', message: 'Retentions look like 1m:1d,5m:1y,1h:5y.' };
    buckets = retentionBuckets(pairs, now, RECOMPUTE_MAX_EVALUATIONS);
  }
  if (buckets.length * metrics.length > RECOMPUTE_MAX_EVALUATIONS) return { error: 'plan_too_large', message: `More than ${RECOMPUTE_MAX_EVALUATIONS} evaluations.` };
  return { metrics, buckets };
}

/**
 * Runs a recompute (spec §8.6): for each bucket × metric, computes the value, upserts a MetricPoint
 * (origin `recompute`), forwards it to the sinks stamped at the bucket midpoint when asked, and
 * reports progress on the JobRun. A value whose external record fails, and a sink that fails, are
 * counted in the summary and skipped.
 * @param orgId the org.
 * @param run the JobRun.
 * @returns the summary.
 */
export async function runRecompute(orgId: number, run: MetricJobRun) {
  const scoped = orgDb(orgId);
  const params = RecomputeParamsSchema.parse(run.params);
  await scoped.metricJobRun.updateMany({ where: { id: run.id }, data: { status: 'running', startedAt: new Date() } });
  const plan = await planRecompute(orgId, params);
  if ('error' in plan) {
    await scoped.metricJobRun.updateMany({ where: { id: run.id }, data: { status: 'failed', finishedAt: new Date(), summary: { error: plan.error } } });
    return null;
  }
  const sinks = params.forward ? adaptersFor(orgId, await loadConfig(orgId)).sinks : [];
  const total = plan.metrics.length * plan.buckets.length;
  let done = 0;
  let written = 0;
  const skipped: Record<string, number> = {};
  const unavailable: Record<string, number> = {};
  const record = new OptoutRecord(orgId);
  for (const metric of plan.metrics) {
    const points: { name: string; value: number; timestamp: Date }[] = [];
    for (const bucket of plan.buckets) {
      if (++done % 50 === 0) await scoped.metricJobRun.updateMany({ where: { id: run.id }, data: { progress: done / total } });
      let value: number;
      try {
        value = await computeMetric(orgId, metric, { start: bucket.start, end: bucket.end }, record);
      } catch (error) {
        // An external record that fails costs this value only (spec §8.6).
        if (!(error instanceof AdapterError)) throw error;
        unavailable[metric.name] = (unavailable[metric.name] ?? 0) + 1;
        continue;
      }
      const bucketSeconds = Math.round((bucket.end.getTime() - bucket.start.getTime()) / 1000);
      const key = { orgId_name_bucketStart_bucketSeconds: { orgId, name: metric.name, bucketStart: bucket.start, bucketSeconds } };
      await scoped.metricPoint.upsert({
        where: key,
        create: { orgId, name: metric.name, bucketStart: bucket.start, bucketSeconds, value, origin: 'recompute' },
        update: { value, origin: 'recompute', computedAt: new Date() },
      });
      written++;
      points.push({ name: metric.name, value, timestamp: new Date((bucket.start.getTime() + bucket.end.getTime()) / 2) });
    }
    for (const sink of sinks) {
      try {
        await sink.send(points);
      } catch {
        skipped[metric.name] = (skipped[metric.name] ?? 0) + points.length;
      }
    }
  }
  const summary = { written, evaluations: total, skipped, unavailable, forwarded: params.forward };
  await scoped.metricJobRun.updateMany({ where: { id: run.id }, data: { status: 'done', progress: 1, finishedAt: new Date(), summary } });
  return summary;
}
