import { z } from 'zod';
import { db } from '../../db/client.js';
import { SYNC_RESOURCE_NAMES, SYNC_RESOURCES, type SyncResource } from '../../sync/resources.js';
import { Task } from '../Task.js';
import { syncTask } from './SyncTask.js';

const FanOutSchema = z.object({ resource: z.enum(SYNC_RESOURCE_NAMES as [SyncResource, ...SyncResource[]]) });

/**
 * On each tick of a resource's schedule, queues that resource's sync for every active org with an
 * API token (spec §8.1); orgs whose token was refused wait for a new one.
 */
class SyncFanOutTask extends Task<typeof FanOutSchema> {
  readonly name = 'sync-fan-out';
  readonly schema = FanOutSchema;
  override readonly queue = 'sync' as const;
  override readonly options = { attempts: 1, removeOnComplete: true };
  override readonly schedules = SYNC_RESOURCE_NAMES.map((resource) => ({
    id: `sync-fan-out-${resource}`,
    repeat: { every: SYNC_RESOURCES[resource].everyMs },
    data: { resource },
  }));

  async perform({ resource }: z.infer<typeof FanOutSchema>) {
    const orgs = await db().org.findMany({
      where: { isActive: true, apiTokenEncrypted: { not: null }, apiTokenError: null },
      select: { id: true },
    });
    for (const org of orgs) await syncTask.enqueue(org.id, resource);
    return { queued: orgs.length };
  }
}

export const syncFanOutTask = new SyncFanOutTask();
