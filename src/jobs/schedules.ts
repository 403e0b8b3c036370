import { getQueue } from './queues.js';
import { TASKS } from './registry.js';

/**
 * Upserts a BullMQ job scheduler for every recurring task and removes schedulers of tasks that
 * are no longer recurring. Safe to run from every worker at start: upserts are idempotent.
 * @returns the names of the scheduled tasks.
 */
export async function registerSchedules(): Promise<string[]> {
  const names: string[] = [];
  for (const task of TASKS) {
    if (!task.repeat) continue;
    await getQueue(task.queue).upsertJobScheduler(task.name, task.repeat, { name: task.name, data: {}, opts: task.options });
    names.push(task.name);
  }
  for (const queueName of new Set(TASKS.map((t) => t.queue))) {
    const schedulers = await getQueue(queueName).getJobSchedulers();
    for (const scheduler of schedulers) {
      if (!names.includes(scheduler.key)) await getQueue(queueName).removeJobScheduler(scheduler.key);
    }
  }
  return names;
}
