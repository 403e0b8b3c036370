import type { Registration, RegistrationSource } from '../../generated/prisma/client.js';
import { applyMetricsTask } from '../../jobs/tasks/ApplyMetricsTask.js';
import { registrationFollowupTask } from '../../jobs/tasks/RegistrationFollowupTask.js';
import { orgDb } from '../../tenancy/orgDb.js';
import { loadConfig } from '../config.js';
import { validateRegistration, type Authority, type Stage } from '../validation.js';

/** Props of a new registration; the source comes from the token, never from the body. */
export interface RegistrationInput {
  /** One of the four stages (checked by the request schema). */
  stage: Stage;
  /** The mother's identity (≤ 36 characters; its shape is a business rule). */
  motherId: string;
  /** The payload as submitted; null or absent is stored as {}. */
  data: Record<string, unknown>;
}

const str = (value: unknown, max = 255) => (typeof value === 'string' && value.length <= max ? value : null);

/**
 * Stores a registration with the outcome of its synchronous validation (decision 1), then, after
 * the insert commits, queues its follow-up (when valid) and its metrics.
 * @param orgId the org.
 * @param source the authenticated source.
 * @param input the registration.
 * @param principal who creates it (`source:<id>` or `user:<id>`).
 * @param now the current instant (injectable clock).
 * @returns the stored registration.
 */
export async function createRegistration(orgId: number, source: Pick<RegistrationSource, 'id' | 'authority'>, input: RegistrationInput, principal: string, now = new Date()): Promise<Registration> {
  const config = await loadConfig(orgId);
  const outcome = validateRegistration({ ...input, authority: source.authority as Authority }, config, now);
  const data = input.data;
  const operatorId = str(data.operator_id) || null;
  const row = await orgDb(orgId).registration.create({
    data: {
      orgId, sourceId: source.id, stage: input.stage, motherId: input.motherId, data: data as object,
      validationStatus: outcome.valid ? 'valid' : 'invalid', regType: outcome.regType, pregWeek: outcome.pregWeek, babyAge: outcome.babyAge,
      invalidReasons: outcome.reasons, operatorId, receiverId: str(data.receiver_id), msgType: str(data.msg_type, 64),
      msgReceiver: str(data.msg_receiver, 64), language: str(data.language, 64),
      // Without an operator there is nothing to look up before the metrics apply.
      operatorCheckedAt: operatorId ? null : now,
      followupStatus: outcome.valid ? 'pending' : null,
      createdBy: principal, updatedBy: principal,
    },
  });
  await Promise.all([
    outcome.valid ? registrationFollowupTask.schedule({ orgId, registrationId: row.id }, { jobId: `followup-${row.id}` }) : null,
    applyMetricsTask.schedule({ orgId, kind: 'registration', rowId: row.id }, { jobId: `registration-${row.id}` }),
  ]);
  return row;
}
