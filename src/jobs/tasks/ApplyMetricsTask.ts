import { z } from 'zod';
import { slotJob } from '../../registrations/jobSlots.js';
import { applyPendingMetrics, BATCH_LIMIT } from '../../registrations/metrics/applier.js';
import { lookUpOperator, lookUpPendingOperators } from '../../registrations/metrics/operatorSnapshot.js';
import { orgDb } from '../../tenancy/orgDb.js';
import { Task } from '../Task.js';
import { emitMetricsTask } from './EmitMetricsTask.js';

const ApplyMetricsSchema = z.object({
  orgId: z.number().int().positive(),
  /** The event that triggered the job; absent for the org's pending events (intake's slot job, a sweep). */
  kind: z.enum(['registration', 'change', 'optout']).optional(),
  rowId: z.uuid().optional(),
});
type Payload = z.infer<typeof ApplyMetricsSchema>;

async function alreadyApplied({ orgId, kind, rowId }: Payload): Promise<boolean> {
  const scoped = orgDb(orgId);
  if (!kind || !rowId) return false;
  const where = { id: rowId };
  const select = { metricsAppliedAt: true };
  const row = kind === 'registration'
    ? await scoped.registration.findFirst({ where, select })
    : kind === 'change' ? await scoped.registrationChange.findFirst({ where, select }) : await scoped.optoutEvent.findFirst({ where, select });
  // A row that is gone has nothing to count.
  return !row || row.metricsAppliedAt !== null;
}

/**
 * Applies events to the live counters (spec §8.5, queue `metrics`): looks up operators, then
 * applies a batch of up to 500 of the org's pending events under the org lock. Intake queues one
 * such job per org and slot (not per registration); a change or an opt-out queues its own, which
 * most often finds its event already applied by another job's batch and stops after one read.
 */
class ApplyMetricsTask extends Task<typeof ApplyMetricsSchema> {
  readonly name = 'apply-metrics';
  readonly schema = ApplyMetricsSchema;
  override readonly queue = 'metrics' as const;
  override readonly options = { attempts: 10, backoff: { type: 'exponential', delay: 500 }, removeOnComplete: { age: 3600, count: 1000 } };

  async perform(payload: Payload) {
    let retry = false;
    if (payload.kind && payload.rowId) {
      if (await alreadyApplied(payload)) return { applied: 0 };
      if (payload.kind === 'registration' && !(await lookUpOperator(payload.orgId, payload.rowId))) throw new Error('operator look-up failed; retrying');
    } else {
      // The org's pending registrations, the oldest batch: their operators are looked up before the
      // lock. Those whose look-up failed wait for the retry; the others are counted now.
      retry = !(await lookUpPendingOperators(payload.orgId, BATCH_LIMIT));
    }
    const { locked, applied, points, more } = await applyPendingMetrics(payload.orgId, 0);
    if (!locked) {
      // Another job holds the lock and will see this event in its batch or its after-batch check;
      // one org-level job per slot waits in case it does not (a slot's id never names a job already
      // running). Never spin on the lock: it starves the web.
      await this.schedule({ orgId: payload.orgId }, { ...slotJob('apply-busy', payload.orgId), removeOnComplete: true, removeOnFail: true });
      return { applied: 0, busy: true };
    }
    if (points.length) await emitMetricsTask.emit(payload.orgId, points);
    if (more) await this.schedule({ orgId: payload.orgId }, { jobId: `apply-more-${payload.orgId}-${Date.now()}`, removeOnComplete: true });
    if (retry) throw new Error('operator look-up failed; retrying');
    return { applied: applied.length };
  }
}

export const applyMetricsTask = new ApplyMetricsTask();
