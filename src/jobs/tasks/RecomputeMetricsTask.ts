import { z } from 'zod';
import { runRecompute } from '../../registrations/metrics/recomputer.js';
import { orgDb } from '../../tenancy/orgDb.js';
import { Task } from '../Task.js';

const RecomputeMetricsSchema = z.object({ orgId: z.number().int().positive(), jobRunId: z.uuid() });

/** Recomputes metrics for a time window into MetricPoint rows, optionally forwarding them (spec §8.6). */
class RecomputeMetricsTask extends Task<typeof RecomputeMetricsSchema> {
  readonly name = 'recompute-metrics';
  readonly schema = RecomputeMetricsSchema;
  override readonly queue = 'registrations' as const;
  override readonly options = { attempts: 1 };

  async perform({ orgId, jobRunId }: z.infer<typeof RecomputeMetricsSchema>) {
    const run = await orgDb(orgId).metricJobRun.findFirst({ where: { id: jobRunId, kind: 'recompute' } });
    if (!run || run.status === 'done') return null;
    return runRecompute(orgId, run);
  }
}

export const recomputeMetricsTask = new RecomputeMetricsTask();
