import { randomUUID } from 'node:crypto';
import { insertRegistrations, type NewRegistration } from '../../db/registrations.js';
import type { Registration, RegistrationSource } from '../../generated/prisma/client.js';
import { applyMetricsTask } from '../../jobs/tasks/ApplyMetricsTask.js';
import { registrationFollowupTask } from '../../jobs/tasks/RegistrationFollowupTask.js';
import { loadConfig } from '../config.js';
import { GroupCommit } from '../groupCommit.js';
import { scheduleSlotJob } from '../jobSlots.js';
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

/** How long an accepted registration waits for others before its batch is written (group commit). */
const GROUP_WINDOW_MS = 2;
/** The most registrations written, and queued for metrics and follow-up, in one batch. */
const GROUP_MAX = 500;
/** Inserts under way at once in this process (job queueing not counted); later arrivals form the next batch meanwhile. */
const GROUP_IN_FLIGHT = 2;

/**
 * Queues the follow-up of a batch's valid registrations and its metrics, once the insert has
 * committed; each goes to the org's job of the current slot, shared with the other batches of the
 * slot (the sweep re-queues metrics should the process die in between). Runs outside the group
 * commit's in-flight limit, so the next batch's insert does not wait for Redis.
 */
async function enqueueBatch(orgId: number, stored: Registration[]): Promise<void> {
  const valid = stored.filter((r) => r.validationStatus === 'valid').map((r) => r.id);
  await Promise.all([registrationFollowupTask.followUp(orgId, valid), scheduleSlotJob('apply', orgId, (options) => applyMetricsTask.schedule({ orgId }, options))]);
}

const intake = new GroupCommit<NewRegistration, Registration>({ write: insertRegistrations, afterWrite: enqueueBatch, windowMs: GROUP_WINDOW_MS, maxItems: GROUP_MAX, maxInFlight: GROUP_IN_FLIGHT });

/**
 * Stores a registration with the outcome of its synchronous validation (decision 1), then, after
 * the insert commits, queues its follow-up (when valid) and its metrics. Registrations arriving
 * within a few milliseconds of each other share one insert, and those of a slot one job of each
 * kind; the promise resolves only once the shared insert has committed and the jobs are queued.
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
  return intake.submit(orgId, {
    id: randomUUID(), sourceId: source.id, stage: input.stage, motherId: input.motherId, data: data as Registration['data'],
    validationStatus: outcome.valid ? 'valid' : 'invalid', regType: outcome.regType, pregWeek: outcome.pregWeek, babyAge: outcome.babyAge,
    invalidReasons: outcome.reasons, operatorId, receiverId: str(data.receiver_id), msgType: str(data.msg_type, 64),
    msgReceiver: str(data.msg_receiver, 64), language: str(data.language, 64),
    // Without an operator there is nothing to look up before the metrics apply.
    operatorCheckedAt: operatorId ? null : now,
    followupStatus: outcome.valid ? 'pending' : null,
    createdBy: principal, createdAt: now,
  });
}
