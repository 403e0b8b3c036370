import { z } from 'zod';
import { db } from '../../db/client.js';
import { redis, redisKey } from '../../db/redis.js';
import { logger } from '../../logger.js';
import { followupInbox } from '../../registrations/followupInbox.js';
import { orgDb } from '../../tenancy/orgDb.js';
import { Task } from '../Task.js';
import { registrationFollowupTask } from './RegistrationFollowupTask.js';

const SweepFollowupsSchema = z.object({});
/** A valid registration still pending this long after its creation may have lost its follow-up. */
export const FOLLOWUP_STALE_MS = 10 * 60_000;
/** How far back the first sweep of an org looks. */
const FIRST_LOOKBACK_MS = 7 * 86_400_000;
/** How far before the last sweep's end a sweep starts again (rows still queued then are looked at again). */
const OVERLAP_MS = 30 * 60_000;
/** Pending registrations looked at per org and sweep. */
export const FOLLOWUP_SWEEP_LIMIT = 1000;

const sweptUntil = (orgId: number) => redisKey('hm', orgId, 'followups', 'swept');

/**
 * Queues again the follow-up of an org's valid registrations that stayed pending with nothing to
 * follow them up (a crash or a Redis error between their insert and their queueing): those older
 * than FOLLOWUP_STALE_MS, since the last sweep, neither in the inbox nor in a job's claim.
 * @param orgId the org.
 * @param now the sweep's time in epoch milliseconds.
 * @returns the registrations queued again.
 */
export async function sweepFollowups(orgId: number, now = Date.now()): Promise<string[]> {
  const mark = await redis().get(sweptUntil(orgId));
  const to = new Date(now - FOLLOWUP_STALE_MS);
  const from = new Date(mark ? Number(mark) - OVERLAP_MS : now - FIRST_LOOKBACK_MS);
  const rows = await orgDb(orgId).registration.findMany({
    where: { validationStatus: 'valid', followupStatus: 'pending', createdAt: { gt: from, lte: to } },
    orderBy: { createdAt: 'asc' },
    take: FOLLOWUP_SWEEP_LIMIT,
    select: { id: true, createdAt: true },
  });
  const lost = await followupInbox.unqueued(orgId, rows.map((r) => r.id));
  await registrationFollowupTask.followUp(orgId, lost);
  // A full read resumes from its last row (a backlog still queued is read again until it drains).
  await redis().set(sweptUntil(orgId), rows.length === FOLLOWUP_SWEEP_LIMIT ? rows.at(-1)!.createdAt.getTime() : to.getTime());
  if (lost.length) logger.warn({ orgId, count: lost.length }, 'registration follow-ups were never queued; queued them again');
  return lost;
}

/** Every 5 minutes, queues again the follow-ups that intake could not queue (spec §6, like the metrics sweep of §11). */
class SweepFollowupsTask extends Task<typeof SweepFollowupsSchema> {
  readonly name = 'sweep-followups';
  readonly schema = SweepFollowupsSchema;
  override readonly queue = 'registrations' as const;
  override readonly repeat = { every: 5 * 60_000 };
  override readonly options = { attempts: 1, removeOnComplete: true, removeOnFail: 100 };

  async perform() {
    const orgs = await db().org.findMany({ where: { isActive: true }, select: { id: true } });
    let requeued = 0;
    for (const { id } of orgs) requeued += (await sweepFollowups(id)).length;
    return { requeued };
  }
}

export const sweepFollowupsTask = new SweepFollowupsTask();
