/** Every queue. A queue groups tasks that share a worker pool and concurrency. */
export const QUEUE_NAMES = ['default', 'mail', 'sync', 'registrations', 'metrics'] as const;
export type QueueName = (typeof QUEUE_NAMES)[number];
