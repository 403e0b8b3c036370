import { z } from 'zod';
import { db } from '../../db/client.js';
import { recomputeContactMembership } from '../../db/contactSync.js';
import { Task } from '../Task.js';

const RemapSchema = z.object({ orgId: z.number().int().positive() });

/** Re-maps every contact's region and reporter groups after the org changed what it tracks. */
class RemapContactsTask extends Task<typeof RemapSchema> {
  readonly name = 'remap-contacts';
  readonly schema = RemapSchema;
  override readonly queue = 'sync' as const;
  override readonly options = { attempts: 3, removeOnComplete: true };

  /**
   * Queues a re-map of the org's contacts (one at a time per org).
   * @param orgId the org.
   */
  enqueue(orgId: number) {
    return this.schedule({ orgId }, { jobId: `remap-contacts-${orgId}` });
  }

  async perform({ orgId }: z.infer<typeof RemapSchema>) {
    const changed = await db().$transaction((tx) => recomputeContactMembership(tx, orgId), { timeout: 10 * 60_000 });
    return { changed };
  }
}

export const remapContactsTask = new RemapContactsTask();
