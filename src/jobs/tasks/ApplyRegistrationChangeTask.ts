import { z } from 'zod';
import { applyChange } from '../../registrations/changeApplier.js';
import { Task } from '../Task.js';

const ApplyRegistrationChangeSchema = z.object({ orgId: z.number().int().positive(), changeId: z.uuid() });

/** Applies a change request through the org's adapters (spec §7). */
class ApplyRegistrationChangeTask extends Task<typeof ApplyRegistrationChangeSchema> {
  readonly name = 'apply-registration-change';
  readonly schema = ApplyRegistrationChangeSchema;
  override readonly queue = 'registrations' as const;
  override readonly options = { attempts: 8, backoff: { type: 'exponential', delay: 2_000 } };

  perform({ orgId, changeId }: z.infer<typeof ApplyRegistrationChangeSchema>) {
    return applyChange(orgId, changeId);
  }
}

export const applyRegistrationChangeTask = new ApplyRegistrationChangeTask();
