import { DelayedError } from 'bullmq';
import { z } from 'zod';
import { logger } from '../../logger.js';
import { SYNC_RESOURCE_NAMES, type SyncResource } from '../../sync/resources.js';
import { runSync, type SyncOutcome } from '../../sync/runSync.js';
import { SYNCERS } from '../../sync/syncers.js';
import { Task, type TaskContext } from '../Task.js';

const SyncSchema = z.object({
  orgId: z.number().int().positive(),
  resource: z.enum(SYNC_RESOURCE_NAMES as [SyncResource, ...SyncResource[]]),
  force: z.boolean().default(false),
});

/**
 * Syncs one resource of one org. The job id is stable per (org, resource), so one pair is never
 * queued twice; the lease in sync_states keeps two workers from running it at once. A throttled
 * sync moves its own job to the delayed set until RapidPro's Retry-After, then resumes from its cursor;
 * so does a job that finds the lease held, until the lease ends or runs out.
 */
class SyncTask extends Task<typeof SyncSchema> {
  readonly name = 'sync';
  readonly schema = SyncSchema;
  override readonly queue = 'sync' as const;
  override readonly options = { attempts: 1, removeOnComplete: true, removeOnFail: { age: 24 * 3600 } };

  /**
   * The de-duplicating job id of an (org, resource) sync.
   * @param orgId the org.
   * @param resource the resource.
   * @returns the job id.
   */
  jobId(orgId: number, resource: SyncResource): string {
    return `sync-${resource}-${orgId}`;
  }

  /**
   * Queues a sync unless one is already queued for the pair.
   * @param orgId the org.
   * @param resource the resource.
   * @param force ignore the backoff (a manual sync).
   */
  enqueue(orgId: number, resource: SyncResource, force = false) {
    return this.schedule({ orgId, resource, force }, { jobId: this.jobId(orgId, resource) });
  }

  async perform(payload: z.infer<typeof SyncSchema>, context?: TaskContext): Promise<SyncOutcome> {
    const outcome = await runSync(payload.orgId, SYNCERS[payload.resource], { force: payload.force });
    // Throttled, or its lease is held (perhaps by a worker that was killed): come back when that ends.
    const resumeAt = outcome.status === 'throttled' ? outcome.retryAt : outcome.status === 'skipped' && outcome.reason === 'running' ? outcome.until : undefined;
    if (resumeAt && context?.job && context.token) {
      logger.info({ orgId: payload.orgId, resource: payload.resource, resumeAt, status: outcome.status }, 'sync paused; resuming later');
      await context.job.moveToDelayed(resumeAt.getTime() + 500, context.token);
      throw new DelayedError();
    }
    return outcome;
  }
}

export const syncTask = new SyncTask();
