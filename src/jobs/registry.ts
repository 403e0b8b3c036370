import type { z } from 'zod';
import type { Task } from './Task.js';
import { purgeExpiredTask } from './tasks/PurgeExpiredTask.js';
import { checkCountersTask } from './tasks/CheckCountersTask.js';
import { fetchRunsTask } from './tasks/FetchRunsTask.js';
import { pushContactTask } from './tasks/PushContactTask.js';
import { remapContactsTask } from './tasks/RemapContactsTask.js';
import { squashCountersTask } from './tasks/SquashCountersTask.js';
import { sendMailTask } from './tasks/SendMailTask.js';
import { startPollRunTask } from './tasks/StartPollRunTask.js';
import { syncFanOutTask } from './tasks/SyncFanOutTask.js';
import { syncTask } from './tasks/SyncTask.js';
// Registrations (issue 8)
import { applyMetricsTask } from './tasks/ApplyMetricsTask.js';
import { applyRegistrationChangeTask } from './tasks/ApplyRegistrationChangeTask.js';
import { emitMetricsTask } from './tasks/EmitMetricsTask.js';
import { reconcileMetricsTask } from './tasks/ReconcileMetricsTask.js';
import { recomputeMetricsTask } from './tasks/RecomputeMetricsTask.js';
import { registrationFollowupTask } from './tasks/RegistrationFollowupTask.js';
import { sweepMetricsTask } from './tasks/SweepMetricsTask.js';
import { sweepFollowupsTask } from './tasks/SweepFollowupsTask.js';
import { streamDemoRegistrationsTask } from './tasks/StreamDemoRegistrationsTask.js';
// Dashboard exports (issue 6)
import { exportTask } from './tasks/ExportTask.js';
import { purgeExportsTask } from './tasks/PurgeExportsTask.js';
// Messages (issue 7)
import { broadcastStatusTask } from './tasks/BroadcastStatusTask.js';
import { resumeSendsTask } from './tasks/ResumeSendsTask.js';
import { sendMessageTask } from './tasks/SendMessageTask.js';

/** Every task the worker runs, by name. Register new tasks here. */
export const TASKS: Task<z.ZodType>[] = [sendMailTask, purgeExpiredTask, syncTask, syncFanOutTask, remapContactsTask, pushContactTask, startPollRunTask, fetchRunsTask,
  registrationFollowupTask, applyRegistrationChangeTask, applyMetricsTask, emitMetricsTask, sweepMetricsTask, sweepFollowupsTask, reconcileMetricsTask, recomputeMetricsTask, streamDemoRegistrationsTask,
  // Counters (issue 5)
  squashCountersTask, checkCountersTask,
  // Dashboard exports (issue 6)
  exportTask, purgeExportsTask,
  // Messages (issue 7)
  sendMessageTask, broadcastStatusTask, resumeSendsTask];

/**
 * Finds a task by its job name.
 * @param name the job name.
 * @returns the task, or undefined.
 */
export function findTask(name: string): Task<z.ZodType> | undefined {
  return TASKS.find((task) => task.name === name);
}
