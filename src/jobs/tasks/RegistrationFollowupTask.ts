import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { followUpRegistrations, type FollowupOutcome } from '../../registrations/followup.js';
import { FOLLOWUP_BATCH, followupInbox } from '../../registrations/followupInbox.js';
import { scheduleSlotJob } from '../../registrations/jobSlots.js';
import { Task, type TaskContext } from '../Task.js';

const RegistrationFollowupSchema = z.object({
  orgId: z.number().int().positive(),
  /** Given registrations (a revalidation); without them the job takes a batch from the org's inbox. */
  registrationIds: z.array(z.uuid()).min(1).max(1000).optional(),
});
type Payload = z.infer<typeof RegistrationFollowupSchema>;

// A failure is recorded on its registration and does not hold the others back; the job's retry
// redoes only what is not done.
function settled({ done, failed }: FollowupOutcome) {
  if (failed.size) throw new Error(`${failed.size} follow-up(s) failed: ${[...failed].slice(0, 3).map(([id, error]) => `${id}: ${error}`).join('; ')}`);
  return { done };
}

/** Subscribes validly registered mothers (and households) through the org's adapters (spec §6). */
class RegistrationFollowupTask extends Task<typeof RegistrationFollowupSchema> {
  readonly name = 'registration-followup';
  readonly schema = RegistrationFollowupSchema;
  override readonly queue = 'registrations' as const;
  override readonly options = { attempts: 8, backoff: { type: 'exponential', delay: 2_000 } };

  /**
   * Queues the follow-up of an intake batch, after its insert has committed: the registrations go
   * to the org's inbox, and the current slot's job (one for every batch of the slot) takes them.
   * @param orgId the org.
   * @param registrationIds the batch's valid registrations.
   */
  async followUp(orgId: number, registrationIds: string[]): Promise<void> {
    if (!registrationIds.length) return;
    // The inbox first, so that the job finds them whenever it runs.
    await followupInbox.add(orgId, registrationIds);
    await scheduleSlotJob('followup', orgId, (options) => this.schedule({ orgId }, options));
  }

  async perform({ orgId, registrationIds }: Payload, context?: TaskContext) {
    if (registrationIds) return settled(await followUpRegistrations(orgId, registrationIds));
    const jobId = context?.job.id ?? randomUUID();
    const ids = await followupInbox.claim(orgId, jobId);
    if (!ids.length) return { done: 0 };
    try {
      const result = settled(await followUpRegistrations(orgId, ids));
      await followupInbox.release(orgId, jobId);
      return result;
    } finally {
      // A full batch may leave a backlog behind it: the next job starts now rather than with the next slot.
      if (ids.length === FOLLOWUP_BATCH && (await followupInbox.size(orgId))) await this.schedule({ orgId }, { jobId: `followup-more-${orgId}-${randomUUID()}` });
    }
  }
}

export const registrationFollowupTask = new RegistrationFollowupTask();
