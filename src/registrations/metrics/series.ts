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

/**
 * Bucketed series for the dashboard (spec §8.7): from MetricPoint rows when a recompute has
 * materialised the whole range at this interval, otherwise computed on the fly in the org's time zone.
 * @param orgId the org.
 * @param metrics the metrics.
 * @param range from, to, interval and time zone.
 * @returns one series per metric.
 */
export async function readSeries(orgId: number, metrics: MetricDescriptor[], range: { from: Date; to: Date; interval: Interval; timeZone: string }): Promise<Series[]> {
  const buckets = intervalBuckets(range.from, range.to, range.interval, range.timeZone);
  const series: Series[] = [];
  for (const metric of metrics) {
    const stored = await orgDb(orgId).metricPoint.findMany({
      where: { name: metric.name, origin: 'recompute', bucketSeconds: INTERVAL_SECONDS[range.interval], bucketStart: { in: buckets.map((b) => b.start) } },
    });
    const byStart = new Map(stored.map((p) => [p.bucketStart.getTime(), p.value]));
    const values = buckets.every((b) => byStart.has(b.start.getTime()))
      ? buckets.map((b) => byStart.get(b.start.getTime())!)
      : await computeBuckets(orgId, metric, buckets);
    series.push({ name: metric.name, aggregation: metric.aggregation, points: buckets.map((b, i) => [b.start.toISOString(), values[i]!]) });
  }
  return series;
}
