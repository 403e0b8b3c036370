import { z } from 'zod';
import { adaptersFor } from '../../registrations/adapters/index.js';
import { hourlyPoints } from '../../registrations/adapters/sinks.js';
import { loadConfig } from '../../registrations/config.js';
import type { EmittedPoint } from '../../registrations/metrics/applier.js';
import { Task } from '../Task.js';

const EmitMetricsSchema = z.object({
  orgId: z.number().int().positive(),
  /** Index of the sink in the org's configuration: one job per sink, so a retry never repeats another sink. */
  sink: z.number().int().min(0),
  points: z.array(z.tuple([z.string().min(1).max(255), z.number(), z.number()])).max(50_000),
});

/**
 * Sends metric values to one of the org's sinks (spec §8.5 step 6, §10.4). Fire-and-forget:
 * retried, then dropped with a logged failure; never affects counters or intake.
 */
class EmitMetricsTask extends Task<typeof EmitMetricsSchema> {
  readonly name = 'emit-metrics';
  readonly schema = EmitMetricsSchema;
  override readonly queue = 'metrics' as const;
  override readonly options = { attempts: 3, backoff: { type: 'exponential', delay: 2_000 }, removeOnComplete: true };

  /**
   * Queues the points for every sink the org has.
   * @param orgId the org.
   * @param points name, value, epoch milliseconds.
   */
  async emit(orgId: number, points: EmittedPoint[]): Promise<void> {
    const config = await loadConfig(orgId);
    // The local sink keeps hourly values only; the others get every event's point.
    await Promise.all(config.adapters.sinks.map((setting, sink) => this.schedule({ orgId, sink, points: setting.kind === 'local' ? hourlyPoints(points) : points })));
  }

  async perform({ orgId, sink, points }: z.infer<typeof EmitMetricsSchema>) {
    const config = await loadConfig(orgId);
    const target = adaptersFor(orgId, config).sinks[sink];
    if (!target) return;
    await target.send(points.map(([name, value, time]) => ({ name, value, timestamp: new Date(time) })));
  }
}

export const emitMetricsTask = new EmitMetricsTask();
