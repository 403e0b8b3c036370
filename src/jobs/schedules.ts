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
    const schedules = [...(task.repeat ? [{ id: task.name, repeat: task.repeat, data: {} }] : []), ...(task.schedules ?? [])];
    for (const schedule of schedules) {
      await getQueue(task.queue).upsertJobScheduler(schedule.id, schedule.repeat, { name: task.name, data: schedule.data, opts: task.options });
      names.push(schedule.id);
    }
  }
  for (const queueName of new Set(TASKS.map((t) => t.queue))) {
    const schedulers = await getQueue(queueName).getJobSchedulers();
    for (const scheduler of schedulers) {
      if (!names.includes(scheduler.key)) await getQueue(queueName).removeJobScheduler(scheduler.key);
    }
  }
  return names;
}
