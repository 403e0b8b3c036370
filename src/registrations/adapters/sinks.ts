import net from 'node:net';
import { upsertLivePoints } from '../../db/metricPoints.js';
import type { HttpClient } from './httpClient.js';
import type { MetricSink } from './types.js';

type Points = Parameters<MetricSink['send']>[0];

/** Live points are kept per hour, the finest interval the dashboard asks for. */
export const LIVE_BUCKET_SECONDS = 3600;

/**
 * Writes MetricPoint rows with origin `live` per hour (spec §10.4 local sink): sums add up,
 * totals keep the highest value seen (they only grow, and jobs may run out of order).
 */
export class LocalSink implements MetricSink {
  constructor(private readonly orgId: number) {}

  async send(points: Points) {
    const buckets = new Map<string, { name: string; bucketStart: Date; value: number; total: boolean }>();
    for (const point of points) {
      const bucketStart = new Date(Math.floor(point.timestamp.getTime() / 1000 / LIVE_BUCKET_SECONDS) * LIVE_BUCKET_SECONDS * 1000);
      const key = `${point.name}|${bucketStart.getTime()}`;
      const total = point.name.endsWith('.total.last');
      const entry = buckets.get(key) ?? { name: point.name, bucketStart, value: 0, total };
      entry.value = total ? Math.max(entry.value, point.value) : entry.value + point.value;
      buckets.set(key, entry);
    }
    // One statement for the batch: a bucket owned by a recompute is left alone, totals never go down.
    await upsertLivePoints(this.orgId, LIVE_BUCKET_SECONDS, [...buckets.values()]);
  }
}

/** The legacy metrics API: `POST metrics/` with `{ "<prefix.>name": value }` and HTTP Basic auth. */
export class HttpMetricsSink implements MetricSink {
  constructor(
    private readonly http: HttpClient,
    private readonly prefix: string,
  ) {}

  async send(points: Points) {
    for (const point of points) await this.http.request('POST', 'metrics/', null, { [`${this.prefix ? `${this.prefix}.` : ''}${point.name}`]: point.value });
  }
}

/** Graphite's carbon plaintext protocol: `<name> <value> <epochSeconds>` lines over TCP. */
export class GraphiteSink implements MetricSink {
  constructor(
    private readonly host: string,
    private readonly port: number,
    private readonly prefix: string,
  ) {}

  send(points: Points): Promise<void> {
    const lines = points.map((p) => `${this.prefix ? `${this.prefix}.` : ''}${p.name} ${p.value} ${Math.floor(p.timestamp.getTime() / 1000)}\n`).join('');
    return new Promise((resolve, reject) => {
      const socket = net.createConnection({ host: this.host, port: this.port }, () => socket.end(lines));
      socket.setTimeout(10_000, () => socket.destroy(new Error('graphite timeout')));
      socket.on('error', reject);
      socket.on('close', (hadError) => (hadError ? undefined : resolve()));
    });
  }
}
