import { once } from 'node:events';
import net from 'node:net';
import { connect, type ChannelModel } from 'amqplib';
import { upsertLivePoints } from '../../db/metricPoints.js';
import type { EmittedPoint } from '../metrics/applier.js';
import type { HttpClient } from './httpClient.js';
import type { MetricSink } from './types.js';

type Points = Parameters<MetricSink['send']>[0];

/** Live points are kept per hour, the finest interval the dashboard asks for. */
export const LIVE_BUCKET_SECONDS = 3600;

/**
 * Folds points into one per metric and hour, as the local sink stores them: sums add up, totals
 * keep the highest value seen (they only grow, and jobs may run out of order). Folding before a
 * job is queued keeps a batch of 500 registrations from carrying thousands of points through Redis.
 * @param points name, value, epoch milliseconds.
 * @returns the hourly points, each at its hour's start.
 */
export function hourlyPoints(points: EmittedPoint[]): EmittedPoint[] {
  const buckets = new Map<string, EmittedPoint>();
  for (const [name, value, time] of points) {
    const hour = Math.floor(time / 1000 / LIVE_BUCKET_SECONDS) * LIVE_BUCKET_SECONDS * 1000;
    const key = `${name}|${hour}`;
    const entry = buckets.get(key);
    if (!entry) buckets.set(key, [name, value, hour]);
    else entry[1] = name.endsWith('.total.last') ? Math.max(entry[1], value) : entry[1] + value;
  }
  return [...buckets.values()];
}

/** Writes MetricPoint rows with origin `live` per hour (spec §10.4 local sink), in one statement. */
export class LocalSink implements MetricSink {
  constructor(private readonly orgId: number) {}

  async send(points: Points) {
    const hourly = hourlyPoints(points.map((p) => [p.name, p.value, p.timestamp.getTime()]));
    // A bucket owned by a recompute is left alone, totals never go down.
    await upsertLivePoints(this.orgId, LIVE_BUCKET_SECONDS, hourly.map(([name, value, time]) => ({ name, bucketStart: new Date(time), value })));
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

/** How long one send to an AMQP broker may take, connecting included (as GraphiteSink's socket timeout). */
const AMQP_TIMEOUT_MS = 10_000;
/** How long a send waits for the broker to answer its close: an unanswered close must not hold the job. */
const AMQP_CLOSE_MS = 2_000;

/**
 * Graphite over AMQP (spec §10.4): one message per point on a durable topic exchange, routing key =
 * metric name, body `<value> <epochSeconds>`, persistent, `text/plain` (carbon's AMQP listener reading
 * the name from the routing key). A send resolves only once the broker has confirmed every message and
 * fails after AMQP_TIMEOUT_MS; it opens and closes its own connection, since the job sends rarely.
 */
export class AmqpGraphiteSink implements MetricSink {
  constructor(
    private readonly url: string,
    private readonly exchange: string,
    private readonly prefix: string,
  ) {}

  async send(points: Points): Promise<void> {
    let model: ChannelModel | undefined;
    let expired = false;
    const work = (async () => {
      const opened = (model = await connect(this.url, { timeout: AMQP_TIMEOUT_MS }));
      try {
        if (expired) return;
        // amqplib's emitters throw an 'error' nobody listens to, which would take the worker down;
        // a connection error rejects the send instead (a channel error rejects its own operation).
        const failed = new Promise<never>((_, reject) => opened.on('error', reject));
        failed.catch(() => undefined);
        const step = <T>(promise: Promise<T>) => Promise.race([promise, failed]);
        const channel = await step(opened.createConfirmChannel());
        channel.on('error', () => undefined);
        await step(channel.assertExchange(this.exchange, 'topic', { durable: true }));
        for (const p of points) {
          const key = `${this.prefix ? `${this.prefix}.` : ''}${p.name}`;
          const body = Buffer.from(`${p.value} ${Math.floor(p.timestamp.getTime() / 1000)}`);
          // false: the channel's buffer is full; let it drain rather than buffer every point.
          if (!channel.publish(this.exchange, key, body, { persistent: true, contentType: 'text/plain' })) await step(once(channel, 'drain'));
        }
        await step(channel.waitForConfirms());
      } finally {
        await closeWithin(opened, AMQP_CLOSE_MS);
      }
    })();
    work.catch(() => undefined);
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        // Closing makes pending operations fail; a connection still opening closes once it opens.
        expired = true;
        if (model) void closeWithin(model, AMQP_CLOSE_MS);
        reject(new Error('amqp graphite timeout'));
      }, AMQP_TIMEOUT_MS);
    });
    try {
      await Promise.race([work, deadline]);
    } finally {
      clearTimeout(timer);
    }
  }
}

/** Closes an AMQP connection, giving up waiting after `ms` (errors ignored: it may be closed already). */
function closeWithin(model: ChannelModel, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const waited = new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)));
  return Promise.race([model.close().catch(() => undefined), waited]).finally(() => clearTimeout(timer));
}
