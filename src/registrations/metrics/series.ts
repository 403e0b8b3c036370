import { countRegistrationsPerBucket, type BucketCountFilter } from '../../db/registrations.js';
import { orgDb } from '../../tenancy/orgDb.js';
import { intervalBuckets, INTERVAL_SECONDS, type Bucket, type Interval } from './buckets.js';
import { computeMetric, computeMetrics } from './generator.js';
import type { MetricDescriptor } from './names.js';
import { OptoutRecord } from './optoutRecord.js';
import { resolveUnsnapshotted } from './operatorSnapshot.js';
import { AdapterError } from '../adapters/httpClient.js';

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
  const counted = await countRegistrationsPerBucket(orgId, buckets, { ...filter, sourceIds });
  const { counts } = counted;
  let { before } = counted;
  if (filter.column === 'operatorState' || filter.column === 'operatorRole') {
    // Rows never snapshotted count by their operator's details as the store has them now (§8.6);
    // while the store does not answer the chart shows the snapshotted rows only.
    const where = { createdAt: { lte: buckets.at(-1)!.end }, ...(sourceIds.length ? { sourceId: { in: sourceIds } } : {}) };
    const resolved = await resolveUnsnapshotted(orgId, where).catch((error: unknown) => {
      if (error instanceof AdapterError) return [];
      throw error;
    });
    for (const row of resolved.filter((r) => r[filter.column as 'operatorState' | 'operatorRole'] === filter.value)) {
      const i = buckets.findIndex((b) => row.createdAt > b.start && row.createdAt <= b.end);
      if (i >= 0) counts[i]!++;
      else if (row.createdAt <= buckets[0]!.start) before++;
    }
  }
  if (metric.aggregation === 'sum') return counts;
  let total = before;
  return counts.map((n) => (total += n));
}

/**
 * The values of metrics not counted over registrations (changes, opt-outs, unique operators) for
 * each bucket: one grouped query per family and bucket (computeMetrics), not one per metric.
 */
async function familyBuckets(orgId: number, metrics: MetricDescriptor[], buckets: Bucket[], sourceIds: string[]): Promise<Map<string, number[]>> {
  const values = new Map(metrics.map((m) => [m.name, new Array<number>(buckets.length).fill(0)]));
  if (!metrics.length) return values;
  const record = new OptoutRecord(orgId);
  for (const [i, bucket] of buckets.entries()) {
    const counts = await computeMetrics(orgId, metrics, { start: bucket.start, end: bucket.end, sourceIds }, record);
    for (const [name, value] of counts) values.get(name)![i] = value;
  }
  return values;
}

/**
 * Bucketed series for the dashboard (spec §8.7): from MetricPoint rows when a recompute has
 * materialised the whole range at this interval (and no source filter applies), otherwise computed
 * on the fly in the org's time zone — one statement per registration metric, one grouped statement
 * per family and bucket for the others. The source filter applies to every series computed on the fly
 * (spec §9): registrations and changes by their source, opt-outs by their registration's.
 * @param orgId the org.
 * @param metrics the metrics.
 * @param range from, to, interval, time zone, and the sources to count (none: all).
 * @returns one series per metric.
 */
export async function readSeries(orgId: number, metrics: MetricDescriptor[], range: { from: Date; to: Date; interval: Interval; timeZone: string; sourceIds?: string[] }): Promise<Series[]> {
  const buckets = intervalBuckets(range.from, range.to, range.interval, range.timeZone);
  const sourceIds = range.sourceIds ?? [];
  const values = new Map<string, number[]>();
  const others: MetricDescriptor[] = [];
  for (const metric of metrics) {
    const stored = sourceIds.length ? [] : await orgDb(orgId).metricPoint.findMany({
      where: { name: metric.name, origin: 'recompute', bucketSeconds: INTERVAL_SECONDS[range.interval], bucketStart: { in: buckets.map((b) => b.start) } },
    });
    const byStart = new Map(stored.map((p) => [p.bucketStart.getTime(), p.value]));
    const found = stored.length && buckets.every((b) => byStart.has(b.start.getTime()))
      ? buckets.map((b) => byStart.get(b.start.getTime())!)
      : await registrationBuckets(orgId, metric, buckets, sourceIds);
    if (found) values.set(metric.name, found);
    else others.push(metric);
  }
  for (const [name, computed] of await familyBuckets(orgId, others, buckets, sourceIds)) values.set(name, computed);
  return metrics.map((metric) => ({ name: metric.name, aggregation: metric.aggregation, points: buckets.map((b, i) => [b.start.toISOString(), values.get(metric.name)![i]!]) }));
}
