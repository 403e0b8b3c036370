import { z } from 'zod';
import { db } from '../../db/client.js';
import type { MessageBatch, Prisma } from '../../generated/prisma/client.js';
import { logger } from '../../logger.js';
import { FINAL_BROADCAST_STATUSES } from '../../messages/status.js';
import { RapidProError, type Broadcast, type RapidProClient } from '../../rapidpro/client/index.js';
import { rapidProFor } from '../../sync/rapidProFor.js';
import { orgDb } from '../../tenancy/orgDb.js';
import { Task } from '../Task.js';

const BroadcastStatusSchema = z.object({ orgId: z.number().int().positive().optional() });

/** Broadcasts of messages written this long ago or less are followed until RapidPro finishes them. */
export const BROADCAST_FOLLOW_MS = 3 * 24 * 3600_000;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Batches sent to RapidPro recently whose broadcast RapidPro has not finished (as last seen). */
function unfinished(since: Date): Prisma.MessageBatchWhereInput {
  return {
    rapidproBroadcastId: { not: null },
    OR: [{ rapidproStatus: null }, { rapidproStatus: { notIn: FINAL_BROADCAST_STATUSES } }],
    message: { createdAt: { gte: since } },
  };
}

/**
 * Follows the broadcasts of recent messages (spec §16.2: the log shows the status RapidPro
 * reports): every two minutes one job per org with unfinished broadcasts reads each one back from
 * `broadcasts.json` and stores its status and when it was checked.
 */
class BroadcastStatusTask extends Task<typeof BroadcastStatusSchema> {
  readonly name = 'broadcast-status';
  readonly schema = BroadcastStatusSchema;
  override readonly queue = 'sync' as const;
  override readonly options = { attempts: 1, removeOnComplete: true };
  override readonly repeat = { every: 2 * 60_000 };

  async perform({ orgId }: z.infer<typeof BroadcastStatusSchema>) {
    const since = new Date(Date.now() - BROADCAST_FOLLOW_MS);
    if (orgId === undefined) {
      const orgs = await db().messageBatch.findMany({ where: unfinished(since), distinct: ['orgId'], select: { orgId: true } });
      for (const org of orgs) await this.schedule({ orgId: org.orgId }, { jobId: `broadcast-status-${org.orgId}` });
      return { queued: orgs.length };
    }
    const org = await db().org.findUnique({ where: { id: orgId } });
    if (!org?.isActive || !org.apiTokenEncrypted) return { checked: 0 };
    const scoped = orgDb(orgId);
    const batches = await scoped.messageBatch.findMany({ where: unfinished(since), orderBy: { id: 'asc' } });
    const client = rapidProFor(org);
    let checked = 0;
    try {
      for (const batch of batches) {
        const found = await findBroadcast(client, batch);
        await scoped.messageBatch.update({ where: { id: batch.id }, data: { checkedAt: new Date(), ...(found?.status ? { rapidproStatus: found.status.slice(0, 16) } : {}) } });
        checked++;
      }
    } catch (error) {
      // Throttled or unreachable: the next tick tries again; other orgs are not held up.
      if (!(error instanceof RapidProError)) throw error;
      logger.warn({ orgId, err: error }, 'broadcast status check stopped');
    }
    return { checked };
  }
}

/**
 * Reads one batch's broadcast back: by uuid on current servers; by its creation instant (the
 * batch's sentAt, RapidPro's clock) and integer id on older ones, which have no uuid filter.
 */
async function findBroadcast(client: RapidProClient, batch: MessageBatch): Promise<Broadcast | undefined> {
  const key = batch.rapidproBroadcastId!;
  if (UUID.test(key)) return (await client.broadcasts({ uuid: key }).all())[0];
  if (!batch.sentAt) return undefined;
  const around = await client.broadcasts({ after: batch.sentAt, before: new Date(batch.sentAt.getTime() + 1) }).all();
  return around.find((b) => b.key === key);
}

export const broadcastStatusTask = new BroadcastStatusTask();
