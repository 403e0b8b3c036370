import { z } from 'zod';
import { db } from '../../db/client.js';
import { lookUpOperator } from '../../registrations/metrics/operatorSnapshot.js';
import { orgDb } from '../../tenancy/orgDb.js';
import { Task } from '../Task.js';
import { applyMetricsTask } from './ApplyMetricsTask.js';

const SweepMetricsSchema = z.object({});
/** Events left unapplied this long are presumed to have lost their job (crash between commit and enqueue). */
const STALE_MS = 60_000;

/** Every minute, re-queues metric application for orgs with events still unapplied after 60 s (spec §11). */
class SweepMetricsTask extends Task<typeof SweepMetricsSchema> {
  readonly name = 'sweep-metrics';
  readonly schema = SweepMetricsSchema;
  override readonly queue = 'metrics' as const;
  override readonly repeat = { every: 60_000 };
  override readonly options = { attempts: 1, removeOnComplete: true };

  async perform() {
    const before = new Date(Date.now() - STALE_MS);
    const orgs = await db().org.findMany({ where: { isActive: true }, select: { id: true } });
    let queued = 0;
    for (const { id: orgId } of orgs) {
      const scoped = orgDb(orgId);
      const stale = { metricsAppliedAt: null, createdAt: { lt: before } };
      const unchecked = await scoped.registration.findMany({ where: { ...stale, operatorCheckedAt: null }, select: { id: true }, take: 100 });
      for (const row of unchecked) await lookUpOperator(orgId, row.id);
      const pending = (await scoped.registration.count({ where: stale })) + (await scoped.registrationChange.count({ where: stale }))
        + (await scoped.optoutEvent.count({ where: { metricsAppliedAt: null, receivedAt: { lt: before } } }));
      if (!pending) continue;
      await applyMetricsTask.schedule({ orgId }, { jobId: `sweep-${orgId}-${Math.floor(Date.now() / STALE_MS)}` });
      queued++;
    }
    return { queued };
  }
}

export const sweepMetricsTask = new SweepMetricsTask();
