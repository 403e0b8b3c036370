import { z } from 'zod';
import { applyPendingMetrics } from '../../registrations/metrics/applier.js';
import { snapshotOperator, snapshotOperators } from '../../registrations/metrics/operatorSnapshot.js';
import { orgDb } from '../../tenancy/orgDb.js';
import { Task } from '../Task.js';
import { emitMetricsTask } from './EmitMetricsTask.js';

const ApplyMetricsSchema = z.object({
  orgId: z.number().int().positive(),
  /** The event that triggered the job; absent for a sweep of the org's pending events. */
  kind: z.enum(['registration', 'change', 'optout']).optional(),
  rowId: z.uuid().optional(),
  /** An intake batch of registrations (group commit), instead of one rowId. */
  rowIds: z.array(z.uuid()).min(1).max(1000).optional(),
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
 * Applies an event to the live counters (spec §8.5, queue `metrics`): snapshots the operator, then
 * applies a batch of up to 500 of the org's pending events under the org lock. Most jobs find their
 * event already applied by another job's batch and stop after one indexed read.
 */
class ApplyMetricsTask extends Task<typeof ApplyMetricsSchema> {
  readonly name = 'apply-metrics';
  readonly schema = ApplyMetricsSchema;
  override readonly queue = 'metrics' as const;
  override readonly options = { attempts: 10, backoff: { type: 'exponential', delay: 500 }, removeOnComplete: { age: 3600, count: 1000 } };

  async perform(payload: Payload) {
    if (payload.kind === 'registration' && payload.rowIds) {
      // An intake batch: one read tells what is left to count and what still needs its operator.
      const { ok, pending } = await snapshotOperators(payload.orgId, payload.rowIds);
      if (!pending) return { applied: 0 };
      if (!ok) throw new Error('operator look-up failed; retrying');
    } else {
      if (await alreadyApplied(payload)) return { applied: 0 };
      if (payload.kind === 'registration' && payload.rowId && !(await snapshotOperator(payload.orgId, payload.rowId))) {
        throw new Error('operator look-up failed; retrying');
      }
    }
    const { locked, applied, points, more } = await applyPendingMetrics(payload.orgId, 0);
    if (!locked) {
      // Another job holds the lock and will see this event in its batch or its after-batch check;
      // one org-level job waits in case it does not. Never spin on the lock: it starves the web.
      await this.schedule({ orgId: payload.orgId }, { jobId: `apply-org-${payload.orgId}`, delay: 100, removeOnComplete: true, removeOnFail: true });
      return { applied: 0, busy: true };
    }
    if (points.length) await emitMetricsTask.emit(payload.orgId, points);
    if (more) await this.schedule({ orgId: payload.orgId }, { jobId: `apply-more-${payload.orgId}-${Date.now()}`, removeOnComplete: true });
    return { applied: applied.length };
  }
}

export const applyMetricsTask = new ApplyMetricsTask();
