import { redis } from '../../db/redis.js';
import { orgDb } from '../../tenancy/orgDb.js';
import { adaptersFor } from '../adapters/index.js';
import { loadConfig } from '../config.js';
import { metricKeys } from './keys.js';
import { normaliseDetail } from './names.js';

const CACHE_SECONDS = 3600;
/** After this many failed look-ups the registration is counted without state and role. */
export const SNAPSHOT_ATTEMPTS = 3;

async function operatorDetails(orgId: number, operatorId: string): Promise<Record<string, unknown> | null> {
  const key = metricKeys.identity(orgId, operatorId);
  const cached = await redis().get(key);
  if (cached !== null) return JSON.parse(cached) as Record<string, unknown> | null;
  const identity = await adaptersFor(orgId, await loadConfig(orgId)).identityStore.getIdentity(operatorId);
  const details = identity?.details ?? null;
  await redis().set(key, JSON.stringify(details), 'EX', CACHE_SECONDS);
  return details;
}

/**
 * Snapshots the operator's normalised state and role onto a registration, before its metrics are
 * applied (spec §8.5 step 2, decision 5). An unknown operator leaves them null; a store that keeps
 * failing is given up on after SNAPSHOT_ATTEMPTS so the other metrics are not blocked.
 * @param orgId the org.
 * @param registrationId the registration.
 * @returns false when the look-up failed and should be retried.
 */
export async function snapshotOperator(orgId: number, registrationId: string): Promise<boolean> {
  const scoped = orgDb(orgId).registration;
  const row = await scoped.findFirst({ where: { id: registrationId }, select: { operatorId: true, operatorCheckedAt: true } });
  if (!row || row.operatorCheckedAt) return true;
  let details: Record<string, unknown> | null = null;
  if (row.operatorId) {
    try {
      details = await operatorDetails(orgId, row.operatorId);
    } catch {
      const failures = await redis().incr(metricKeys.snapshotFailures(orgId, registrationId));
      await redis().expire(metricKeys.snapshotFailures(orgId, registrationId), 86_400);
      if (failures < SNAPSHOT_ATTEMPTS) return false;
    }
  }
  await scoped.updateMany({
    where: { id: registrationId, operatorCheckedAt: null },
    data: { operatorState: normaliseDetail(details?.state), operatorRole: normaliseDetail(details?.role), operatorCheckedAt: new Date() },
  });
  return true;
}
