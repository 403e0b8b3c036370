import type { Job, JobsOptions } from 'bullmq';
import type { z } from 'zod';
import { getQueue, type QueueName } from './queues.js';

/** What the worker hands a task besides its payload. */
export interface TaskContext {
  job: Job;
  token: string | undefined;
}

/** A recurring schedule for a task (registered by the worker at start). */
export interface TaskSchedule {
  /** Cron pattern, in UTC. */
  pattern?: string;
  /** Or a fixed interval in milliseconds. */
  every?: number;
}

/**
 * One kind of background job: a name, a payload schema checked before any work, and perform().
 * Callers use schedule(); only the worker calls perform(). Payloads hold ids, not rows.
 */
export abstract class Task<S extends z.ZodType> {
  abstract readonly name: string;
  abstract readonly schema: S;
  readonly queue: QueueName = 'default';
  /** Job options (attempts, backoff, priority) for this task. */
  readonly options: JobsOptions = {};
  /** Set for recurring tasks; the payload of a scheduled run is {}. */
  readonly repeat?: TaskSchedule;
  /** Several recurring runs of one task, each with its own payload (e.g. one fan-out per resource). */
  readonly schedules?: { id: string; repeat: TaskSchedule; data: object }[];

  /**
   * Does the work. Must be idempotent: a job can run again after a crash.
   * @param payload the validated payload.
   * @param context the BullMQ job and its lock token, when run by the worker (to delay itself).
   */
  abstract perform(payload: z.infer<S>, context?: TaskContext): Promise<unknown>;

  /**
   * Puts a job on the queue, after validating its payload. Call it after your transaction commits.
   * @param payload the payload.
   * @param options per-call options (jobId for de-duplication, delay…).
   * @returns the job id.
   */
  async schedule(payload: z.input<S>, options: JobsOptions = {}): Promise<string | undefined> {
    const data = this.schema.parse(payload);
    const job = await getQueue(this.queue).add(this.name, data, { ...this.options, ...options });
    return job.id;
  }

  /**
   * Validates a raw payload and performs the task (the worker's entry point).
   * @param raw the job data.
   * @returns what perform returns.
   */
  async run(raw: unknown, context?: TaskContext): Promise<unknown> {
    return this.perform(this.schema.parse(raw), context);
  }
}
