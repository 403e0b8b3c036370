import { Worker } from 'bullmq';
import { bullConnection, getQueue, queuePrefix, type QueueName } from '../../src/jobs/queues.js';
import { dispatch } from '../../src/jobs/worker.js';

/**
 * Runs the real worker on a queue until it has no waiting or active job left.
 * @param name the queue.
 */
export async function drainQueue(name: QueueName): Promise<void> {
  const worker = new Worker(name, dispatch, { connection: bullConnection(), prefix: queuePrefix(), autorun: true });
  try {
    const queue = getQueue(name);
    // Test files running side by side share the run's queues: on a busy machine the jobs of
    // several files may stand before ours, so wait up to 30 s (it returns as soon as drained).
    for (let i = 0; i < 600; i++) {
      const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
      if ((counts.waiting ?? 0) + (counts.active ?? 0) + (counts.prioritized ?? 0) === 0) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`queue ${name} did not drain`);
  } finally {
    await worker.close();
  }
}

