import { Queue, type ConnectionOptions, type DefaultJobOptions } from 'bullmq';
import { Redis } from 'ioredis';
import { env } from '../env.js';

import { QUEUE_NAMES, type QueueName } from './queueNames.js';

export { QUEUE_NAMES, type QueueName };

const DEFAULT_JOB_OPTIONS: DefaultJobOptions = {
  attempts: 3,
  backoff: { type: 'exponential', delay: 5_000 },
  removeOnComplete: { age: 24 * 3600, count: 1000 },
  removeOnFail: { age: 7 * 24 * 3600 },
};

let connection: Redis | undefined;
const queues = new Map<QueueName, Queue>();

/**
 * The BullMQ key prefix: under REDIS_PREFIX so deployments (and test runs) sharing a Redis stay apart.
 * @returns the prefix.
 */
export function queuePrefix(): string {
  return `${env().REDIS_PREFIX}:bull`;
}

/**
 * A connection for BullMQ. Workers block on Redis, so they need maxRetriesPerRequest null (BullMQ docs).
 * @returns a new ioredis connection.
 */
export function bullConnection(): Redis {
  return new Redis(env().REDIS_URL, { maxRetriesPerRequest: null });
}

/**
 * The producer side of a queue, shared by the process.
 * @param name the queue.
 * @returns the queue.
 */
export function getQueue(name: QueueName): Queue {
  let queue = queues.get(name);
  if (!queue) {
    connection ??= bullConnection();
    queue = new Queue(name, { connection: connection as ConnectionOptions, prefix: queuePrefix(), defaultJobOptions: DEFAULT_JOB_OPTIONS });
    queues.set(name, queue);
  }
  return queue;
}

/** Closes every producer queue and the shared connection (graceful shutdown). */
export async function closeQueues(): Promise<void> {
  await Promise.all([...queues.values()].map((q) => q.close()));
  queues.clear();
  await connection?.quit();
  connection = undefined;
}
