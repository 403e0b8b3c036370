import { z } from 'zod';
import { followUpRegistration } from '../../registrations/followup.js';
import { Task } from '../Task.js';

const RegistrationFollowupSchema = z.union([
  z.object({ orgId: z.number().int().positive(), registrationId: z.uuid() }),
  /** A whole intake batch (group commit): one job instead of one per registration. */
  z.object({ orgId: z.number().int().positive(), registrationIds: z.array(z.uuid()).min(1).max(1000) }),
]);

/** Subscribes a validly registered mother (and household) through the org's adapters (spec §6). */
class RegistrationFollowupTask extends Task<typeof RegistrationFollowupSchema> {
  readonly name = 'registration-followup';
  readonly schema = RegistrationFollowupSchema;
  override readonly queue = 'registrations' as const;
  override readonly options = { attempts: 8, backoff: { type: 'exponential', delay: 2_000 } };

  async perform(payload: z.infer<typeof RegistrationFollowupSchema>) {
    if ('registrationId' in payload) return followUpRegistration(payload.orgId, payload.registrationId);
    // Each follow-up is idempotent (done ones return at once), so a retry of the batch only redoes
    // the failed ones; one failure must not keep the others from running.
    const failures: string[] = [];
    for (const id of payload.registrationIds) {
      try {
        await followUpRegistration(payload.orgId, id);
      } catch (error) {
        failures.push(`${id}: ${(error as Error).message}`);
      }
    }
    if (failures.length) throw new Error(`${failures.length} follow-up(s) failed: ${failures.slice(0, 3).join('; ')}`);
    return { done: payload.registrationIds.length };
  }
}

export const registrationFollowupTask = new RegistrationFollowupTask();
