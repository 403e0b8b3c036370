import { randomUUID } from 'node:crypto';
import { insertRegistrations, type NewRegistration } from '../../db/registrations.js';
import type { Registration, RegistrationSource } from '../../generated/prisma/client.js';
import { applyMetricsTask } from '../../jobs/tasks/ApplyMetricsTask.js';
import { logger } from '../../logger.js';
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
 * slot. The requests do not wait for it (see intake). A failure to queue is logged: the rows are
 * stored, and the sweeps queue them later (metrics after a minute, follow-ups after FOLLOWUP_STALE_MS).
 */
async function enqueueBatch(orgId: number, stored: Registration[]): Promise<void> {
  const valid = stored.filter((r) => r.validationStatus === 'valid').map((r) => r.id);
  const queued = await Promise.allSettled([registrationFollowupTask.followUp(orgId, valid), scheduleSlotJob('apply', orgId, (options) => applyMetricsTask.schedule({ orgId }, options))]);
  for (const result of queued) {
    if (result.status === 'rejected') logger.warn({ err: result.reason, orgId, count: stored.length }, 'registrations stored but not queued; the sweeps will queue them');
  }
}

// A registration is answered once its insert has committed: queueing its jobs is Redis work the
// answer need not wait for (the sweeps make up for a process that dies first), so Redis round
// trips never add to intake latency.
const intake = new GroupCommit<NewRegistration, Registration>({
  write: insertRegistrations,
  afterWrite: (orgId, stored) => {
    void enqueueBatch(orgId, stored);
    return Promise.resolve();
  },
  windowMs: GROUP_WINDOW_MS, maxItems: GROUP_MAX, maxInFlight: GROUP_IN_FLIGHT,
});

/**
 * Stores a registration with the outcome of its synchronous validation (decision 1), then, after
 * the insert commits, queues its follow-up (when valid) and its metrics. Registrations arriving
 * within a few milliseconds of each other share one insert, and those of a slot one job of each
 * kind; the promise resolves once the shared insert has committed (the jobs are queued right after).
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
