import { z } from 'zod';
import type { MetricJobRun } from '../../generated/prisma/client.js';
import { upsertRecomputedPoints } from '../../db/metricPoints.js';
import { orgDb } from '../../tenancy/orgDb.js';
import { adaptersFor } from '../adapters/index.js';
import type { MetricSink } from '../adapters/types.js';
import { loadConfig } from '../config.js';
import { intervalBuckets, INTERVALS, parseRetentions, retentionBuckets, type Bucket } from './buckets.js';
import { AdapterError } from '../adapters/httpClient.js';
import { computeMetrics } from './generator.js';
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

type Points = Parameters<MetricSink['send']>[0];

/** Points forwarded to the sinks in one call. */
const FORWARD_BATCH = 1000;

/**
 * The values of every metric of a plan for one bucket, with one grouped query per family
 * (computeMetrics). Opt-out values may come from an external record: when it fails, they are
 * counted as unavailable and left out, and the other values stand (spec §8.6).
 */
async function bucketValues(orgId: number, metrics: MetricDescriptor[], bucket: Bucket, record: OptoutRecord, unavailable: Record<string, number>): Promise<Map<string, number>> {
  const scope = { start: bucket.start, end: bucket.end };
  const optouts = metrics.filter((m) => m.family.startsWith('optout.'));
  const values = await computeMetrics(orgId, metrics.filter((m) => !optouts.includes(m)), scope, record);
  try {
    for (const [name, value] of await computeMetrics(orgId, optouts, scope, record)) values.set(name, value);
  } catch (error) {
    if (!(error instanceof AdapterError)) throw error;
    for (const m of optouts) unavailable[m.name] = (unavailable[m.name] ?? 0) + 1;
  }
  return values;
}

/**
 * Runs a recompute (spec §8.6): bucket by bucket, computes every metric's value (one grouped query
 * per family), upserts the bucket's MetricPoints in one statement (origin `recompute`), forwards
 * them to the sinks stamped at the bucket midpoint when asked (in batches), and reports progress on
 * the JobRun. A value whose external record fails, and points a sink refuses, are counted in the
 * summary and skipped.
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
  let written = 0;
  const skipped: Record<string, number> = {};
  const unavailable: Record<string, number> = {};
  const record = new OptoutRecord(orgId);
  let forwarding: Points = [];
  const forward = async () => {
    for (const sink of sinks) {
      await sink.send(forwarding).catch(() => forwarding.forEach((p) => (skipped[p.name] = (skipped[p.name] ?? 0) + 1)));
    }
    forwarding = [];
  };
  let reported = Date.now();
  for (const [i, bucket] of plan.buckets.entries()) {
    const values = await bucketValues(orgId, plan.metrics, bucket, record, unavailable);
    const bucketSeconds = Math.round((bucket.end.getTime() - bucket.start.getTime()) / 1000);
    await upsertRecomputedPoints(orgId, bucketSeconds, bucket.start, [...values]);
    written += values.size;
    if (sinks.length) {
      const timestamp = new Date((bucket.start.getTime() + bucket.end.getTime()) / 2);
      forwarding.push(...[...values].map(([name, value]) => ({ name, value, timestamp })));
      if (forwarding.length >= FORWARD_BATCH) await forward();
    }
    if (Date.now() - reported >= 1000) {
      reported = Date.now();
      await scoped.metricJobRun.updateMany({ where: { id: run.id }, data: { progress: ((i + 1) * plan.metrics.length) / total } });
    }
  }
  if (forwarding.length) await forward();
  const summary = { written, evaluations: total, skipped, unavailable, forwarded: params.forward };
  await scoped.metricJobRun.updateMany({ where: { id: run.id }, data: { status: 'done', progress: 1, finishedAt: new Date(), summary } });
  return summary;
}
