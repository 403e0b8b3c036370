import type { RegistrationChange } from '../../generated/prisma/client.js';
import { applyMetricsTask } from '../../jobs/tasks/ApplyMetricsTask.js';
import { applyRegistrationChangeTask } from '../../jobs/tasks/ApplyRegistrationChangeTask.js';
import { orgDb } from '../../tenancy/orgDb.js';

export const CHANGE_ACTIONS = ['change_language', 'change_messaging', 'change_baby', 'change_loss', 'unsubscribe_mother_only', 'unsubscribe_household_only'] as const;
export type ChangeAction = (typeof CHANGE_ACTIONS)[number];

/**
 * Stores a change request (spec §7) and, after commit, queues its application and its metrics.
 * @param orgId the org.
 * @param input mother, action and data.
 * @param principal who asks (`source:<id>` or `user:<id>`).
 * @param sourceId the source, when a source asked.
 * @returns the stored change.
 */
export async function createChange(orgId: number, input: { motherId: string; action: ChangeAction; data: Record<string, unknown> }, principal: string, sourceId: string | null): Promise<RegistrationChange> {
  const row = await orgDb(orgId).registrationChange.create({
    data: { orgId, sourceId, motherId: input.motherId, action: input.action, data: input.data as object, createdBy: principal, updatedBy: principal },
  });
  await Promise.all([
    applyRegistrationChangeTask.schedule({ orgId, changeId: row.id }, { jobId: `change-${row.id}` }),
    applyMetricsTask.schedule({ orgId, kind: 'change', rowId: row.id }, { jobId: `change-${row.id}` }),
  ]);
  return row;
}
