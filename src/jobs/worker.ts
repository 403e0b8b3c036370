import { Worker, type Job } from 'bullmq';
import type { Logger } from '../logger.js';
import { env } from '../env.js';
import { bullConnection, queuePrefix, QUEUE_NAMES, type QueueName } from './queues.js';
import { findTask } from './registry.js';

/**
 * Dispatches a job to its task; an unknown name fails the job (never silently dropped).
 * @param job the BullMQ job.
 * @param token the job's lock token.
 * @returns what the task returns.
 */
export async function dispatch(job: Job, token?: string): Promise<unknown> {
  const task = findTask(job.name);
  if (!task) throw new Error(`No task named "${job.name}"`);
  return task.run(job.data, { job, token });
}

/**
 * Starts one BullMQ worker per queue. Failures are logged on the final attempt only.
 * @param logger the process logger.
 * @param queues which queues to consume (all by default).
 * @returns the workers, for graceful shutdown (close() lets the current job finish).
 */
export function startWorkers(logger: Logger, queues: readonly QueueName[] = QUEUE_NAMES): Worker[] {
  return queues.map((name) => {
    const worker = new Worker(name, dispatch, {
      connection: bullConnection(),
      prefix: queuePrefix(),
      concurrency: env().WORKER_CONCURRENCY,
      lockDuration: env().WORKER_LOCK_SECONDS * 1000,
      stalledInterval: env().WORKER_LOCK_SECONDS * 1000,
    });
    worker.on('completed', (job) => logger.info({ queue: name, job: job.name, id: job.id }, 'job completed'));
    worker.on('failed', (job, error) => {
      if (!job || job.attemptsMade >= (job.opts.attempts ?? 1)) {
        logger.error({ queue: name, job: job?.name, id: job?.id, err: error }, 'job failed');
      }
    });
    worker.on('error', (error) => logger.error({ queue: name, err: error }, 'worker error'));
    return worker;
  });
}
