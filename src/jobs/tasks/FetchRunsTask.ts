import { DelayedError } from 'bullmq';
import { z } from 'zod';
import { logger } from '../../logger.js';
import { runFetchPast, type FetchRunOutcome } from '../../pollruns/fetchPastRunner.js';
import { Task, type TaskContext } from '../Task.js';

const FetchRunsSchema = z.object({
  orgId: z.number().int().positive(),
  runFetchId: z.number().int().positive(),
});

/**
 * Runs one admin's "fetch past runs" (spec §9.6) on the sync queue. A failed attempt is retried
 * and continues from the progress saved with each page; the last attempt marks the fetch failed.
 * Throttling is no failure: the job moves itself to the delayed set until RapidPro's Retry-After.
 */
class FetchRunsTask extends Task<typeof FetchRunsSchema> {
  readonly name = 'fetch-runs';
  readonly schema = FetchRunsSchema;
  override readonly queue = 'sync' as const;
  override readonly options = { attempts: 3, backoff: { type: 'exponential', delay: 60_000 }, removeOnComplete: true, removeOnFail: { age: 7 * 24 * 3600 } };

  /**
   * The de-duplicating job id of a fetch.
   * @param runFetchId the run_fetches row.
   * @returns the job id.
   */
  jobId(runFetchId: number): string {
    return `fetch-runs-${runFetchId}`;
  }

  /**
   * Queues a fetch (once per row).
   * @param orgId the org.
   * @param runFetchId the run_fetches row.
   */
  enqueue(orgId: number, runFetchId: number) {
    return this.schedule({ orgId, runFetchId }, { jobId: this.jobId(runFetchId) });
  }

  async perform(payload: z.infer<typeof FetchRunsSchema>, context?: TaskContext): Promise<FetchRunOutcome> {
    const job = context?.job;
    const finalAttempt = !job || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    const outcome = await runFetchPast(payload.orgId, payload.runFetchId, { finalAttempt });
    if (outcome.status === 'throttled' && job && context.token) {
      logger.info({ orgId: payload.orgId, runFetchId: payload.runFetchId, resumeAt: outcome.resumeAt }, 'fetch-runs paused; resuming later');
      await job.moveToDelayed(outcome.resumeAt.getTime(), context.token);
      throw new DelayedError();
    }
    return outcome;
  }
}

export const fetchRunsTask = new FetchRunsTask();
