import { z } from 'zod';
import { db } from '../../db/client.js';
import { reconcileCounters } from '../../registrations/metrics/reconciler.js';
import { orgDb } from '../../tenancy/orgDb.js';
import { Task } from '../Task.js';

const ReconcileMetricsSchema = z.object({
  /** Absent on the hourly run, which fans out one job per org with registration sources. */
  orgId: z.number().int().positive().optional(),
  jobRunId: z.uuid().optional(),
});

/** Rebuilds live counters from Postgres and records the drift (spec §8.5 step 7); hourly and on demand. */
class ReconcileMetricsTask extends Task<typeof ReconcileMetricsSchema> {
  readonly name = 'reconcile-metrics';
  readonly schema = ReconcileMetricsSchema;
  override readonly queue = 'metrics' as const;
  override readonly repeat = { pattern: '7 * * * *' };
  override readonly options = { attempts: 3, backoff: { type: 'exponential', delay: 10_000 } };

  async perform({ orgId, jobRunId }: z.infer<typeof ReconcileMetricsSchema>) {
    if (!orgId) {
      const orgs = await db().org.findMany({ where: { isActive: true }, select: { id: true } });
      for (const org of orgs) {
        if (!(await orgDb(org.id).registrationSource.count())) continue;
        const run = await orgDb(org.id).metricJobRun.create({ data: { orgId: org.id, kind: 'reconcile', params: { trigger: 'schedule' } } });
        await this.schedule({ orgId: org.id, jobRunId: run.id }, { jobId: `reconcile-${run.id}` });
      }
      return null;
    }
    const runs = orgDb(orgId).metricJobRun;
    if (jobRunId) await runs.updateMany({ where: { id: jobRunId }, data: { status: 'running', startedAt: new Date() } });
    const summary = await reconcileCounters(orgId);
    if (jobRunId) await runs.updateMany({ where: { id: jobRunId }, data: { status: 'done', progress: 1, finishedAt: new Date(), summary: summary as object } });
    return summary;
  }
}

export const reconcileMetricsTask = new ReconcileMetricsTask();
