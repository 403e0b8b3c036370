import { z } from 'zod';
import { db } from '../../db/client.js';
import { checkCounters, rebuildCounters } from '../../db/counters.js';
import { logger } from '../../logger.js';
import { orgDb } from '../../tenancy/orgDb.js';
import { Task } from '../Task.js';

const CheckSchema = z.object({ orgId: z.number().int().optional() });
/** The sync_states row that records the last check (shown on the sync status page). */
export const COUNTERS_CHECK = 'counters';

/**
 * Nightly, compares each active org's counters with a recount; a difference is recorded on the
 * sync status page (with what differed) and repaired by a rebuild, so charts are right by morning.
 */
class CheckCountersTask extends Task<typeof CheckSchema> {
  readonly name = 'check-counters';
  readonly schema = CheckSchema;
  override readonly queue = 'sync' as const;
  override readonly repeat = { pattern: '30 2 * * *' };
  override readonly options = { attempts: 1, removeOnComplete: true, removeOnFail: 100 };

  async perform({ orgId }: z.infer<typeof CheckSchema>) {
    const orgs = orgId ? [{ id: orgId }] : await db().org.findMany({ where: { isActive: true }, select: { id: true } });
    let repaired = 0;
    for (const org of orgs) {
      const { mismatched, samples } = await checkCounters(org.id, 3);
      const now = new Date();
      if (mismatched) {
        logger.warn({ orgId: org.id, mismatched, samples }, 'counters differed from their data; rebuilding');
        await rebuildCounters(org.id);
        repaired++;
      }
      const found = mismatched ? `${mismatched} counters differed from their data and were rebuilt` : null;
      await orgDb(org.id).syncState.upsert({
        where: { orgId_resource: { orgId: org.id, resource: COUNTERS_CHECK } },
        create: { orgId: org.id, resource: COUNTERS_CHECK, lastSuccessAt: now, counts: { mismatched }, lastCounts: { mismatched }, lastError: found, lastErrorAt: found ? now : null },
        update: { lastSuccessAt: now, lastCounts: { mismatched }, ...(found ? { lastError: found, lastErrorAt: now } : {}) },
      });
    }
    return { checked: orgs.length, repaired };
  }
}

export const checkCountersTask = new CheckCountersTask();
