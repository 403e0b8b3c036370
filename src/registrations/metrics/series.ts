import { countRegistrationsPerBucket, type BucketCountFilter } from '../../db/registrations.js';
import { orgDb } from '../../tenancy/orgDb.js';
import { intervalBuckets, INTERVAL_SECONDS, type Bucket, type Interval } from './buckets.js';
import { computeMetric } from './generator.js';
import type { MetricDescriptor } from './names.js';
import { OptoutRecord } from './optoutRecord.js';

/** One metric's bucketed values: [bucketStartIso, value] pairs. */
export interface Series {
  name: string;
  aggregation: 'sum' | 'last';
  points: [string, number][];
}

const PARALLEL = 4;

/**
 * A metric's value for each bucket, computed from Postgres: sums count events in (start, end], totals
 * count everything up to the bucket end.
 * @param orgId the org.
 * @param metric the metric.
 * @param buckets the buckets.
 * @returns one value per bucket.
 */
export async function computeBuckets(orgId: number, metric: MetricDescriptor, buckets: Bucket[]): Promise<number[]> {
  const values: number[] = new Array<number>(buckets.length);
  const record = new OptoutRecord(orgId);
  for (let i = 0; i < buckets.length; i += PARALLEL) {
    const slice = buckets.slice(i, i + PARALLEL);
    const results = await Promise.all(slice.map((b) => computeMetric(orgId, metric, { start: b.start, end: b.end }, record)));
    results.forEach((v, j) => (values[i + j] = v));
  }
  return values;
}

const REGISTRATION_COLUMN: Record<string, BucketCountFilter['column']> = {
  'registrations.msg_type': 'msgType', 'registrations.receiver_type': 'msgReceiver', 'registrations.language': 'language',
  'registrations.state': 'operatorState', 'registrations.role': 'operatorRole',
};

/**
 * The values of a metric counted over registrations (created, source and the dimension families),
 * all buckets in one statement; null for the other families. Sums count each bucket's (start, end];
 * totals add them up from the count before the first bucket (the buckets are contiguous).
 */
async function registrationBuckets(orgId: number, metric: MetricDescriptor, buckets: Bucket[], sourceIds: string[]): Promise<number[] | null> {
  const column = REGISTRATION_COLUMN[metric.family];
  const filter: BucketCountFilter | null = metric.family === 'registrations.created' ? {}
    : metric.family === 'registrations.source' ? { sourceSlug: metric.dimension! }
    : column ? { column, value: metric.dimension! } : null;
  if (!filter) return null;
  const { before, counts } = await countRegistrationsPerBucket(orgId, buckets, { ...filter, sourceIds });
  if (metric.aggregation === 'sum') return counts;
  let total = before;
  return counts.map((n) => (total += n));
}

/**
 * Bucketed series for the dashboard (spec §8.7): from MetricPoint rows when a recompute has
 * materialised the whole range at this interval (and no source filter applies), otherwise computed
 * on the fly in the org's time zone — one statement per registration metric, one per bucket for
 * the others. The source filter applies to registration metrics (spec §9).
 * @param orgId the org.
 * @param metrics the metrics.
 * @param range from, to, interval, time zone, and the sources to count (none: all).
 * @returns one series per metric.
 */
export async function readSeries(orgId: number, metrics: MetricDescriptor[], range: { from: Date; to: Date; interval: Interval; timeZone: string; sourceIds?: string[] }): Promise<Series[]> {
  const buckets = intervalBuckets(range.from, range.to, range.interval, range.timeZone);
  const sourceIds = range.sourceIds ?? [];
  const series: Series[] = [];
  for (const metric of metrics) {
    const stored = sourceIds.length ? [] : await orgDb(orgId).metricPoint.findMany({
      where: { name: metric.name, origin: 'recompute', bucketSeconds: INTERVAL_SECONDS[range.interval], bucketStart: { in: buckets.map((b) => b.start) } },
    });
    const byStart = new Map(stored.map((p) => [p.bucketStart.getTime(), p.value]));
    const values = stored.length && buckets.every((b) => byStart.has(b.start.getTime()))
      ? buckets.map((b) => byStart.get(b.start.getTime())!)
      : (await registrationBuckets(orgId, metric, buckets, sourceIds)) ?? (await computeBuckets(orgId, metric, buckets));
    series.push({ name: metric.name, aggregation: metric.aggregation, points: buckets.map((b, i) => [b.start.toISOString(), values[i]!]) });
  }
  return series;
}
