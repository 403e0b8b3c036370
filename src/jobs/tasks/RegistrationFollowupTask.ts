import { z } from 'zod';
import { followUpRegistration } from '../../registrations/followup.js';
import { Task } from '../Task.js';

const RegistrationFollowupSchema = z.object({ orgId: z.number().int().positive(), registrationId: z.uuid() });

/** Subscribes a validly registered mother (and household) through the org's adapters (spec §6). */
class RegistrationFollowupTask extends Task<typeof RegistrationFollowupSchema> {
  readonly name = 'registration-followup';
  readonly schema = RegistrationFollowupSchema;
  override readonly queue = 'registrations' as const;
  override readonly options = { attempts: 8, backoff: { type: 'exponential', delay: 2_000 } };

  perform({ orgId, registrationId }: z.infer<typeof RegistrationFollowupSchema>) {
    return followUpRegistration(orgId, registrationId);
  }
}

export const registrationFollowupTask = new RegistrationFollowupTask();
