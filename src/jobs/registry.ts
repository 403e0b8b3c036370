import type { z } from 'zod';
import type { Task } from './Task.js';
import { purgeExpiredTask } from './tasks/PurgeExpiredTask.js';
import { sendMailTask } from './tasks/SendMailTask.js';

/** Every task the worker runs, by name. Register new tasks here. */
export const TASKS: Task<z.ZodType>[] = [sendMailTask, purgeExpiredTask];

/**
 * Finds a task by its job name.
 * @param name the job name.
 * @returns the task, or undefined.
 */
export function findTask(name: string): Task<z.ZodType> | undefined {
  return TASKS.find((task) => task.name === name);
}
