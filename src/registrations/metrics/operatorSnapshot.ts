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

/**
 * Snapshots the operators of a batch of registrations at once (an intake batch): one read of the
 * rows, one Redis read of the cached details, the store asked only for operators not cached, and
 * one update per distinct (state, role). Same outcome per row as snapshotOperator.
 * @param orgId the org.
 * @param registrationIds the registrations.
 * @returns ok false when some look-up failed and should be retried; pending, how many of the
 *   registrations (still there) await their metrics, snapshotted or not.
 */
export async function snapshotOperators(orgId: number, registrationIds: string[]): Promise<{ ok: boolean; pending: number }> {
  const scoped = orgDb(orgId).registration;
  const read = await scoped.findMany({ where: { id: { in: registrationIds }, metricsAppliedAt: null }, select: { id: true, operatorId: true, operatorCheckedAt: true } });
  const rows = read.filter((r) => !r.operatorCheckedAt);
  if (!rows.length) return { ok: true, pending: read.length };
  const operators = [...new Set(rows.map((r) => r.operatorId).filter((o): o is string => !!o))];
  const details = new Map<string, Record<string, unknown> | null>();
  const failed = new Set<string>();
  if (operators.length) {
    const cached = await redis().mget(...operators.map((o) => metricKeys.identity(orgId, o)));
    for (const [i, operator] of operators.entries()) {
      const hit = cached[i];
      if (hit !== null && hit !== undefined) {
        details.set(operator, JSON.parse(hit) as Record<string, unknown> | null);
        continue;
      }
      try {
        details.set(operator, await operatorDetails(orgId, operator));
      } catch {
        failed.add(operator);
      }
    }
  }
  let retry = false;
  const groups = new Map<string, { state: string | null; role: string | null; ids: string[] }>();
  for (const row of rows) {
    if (row.operatorId && failed.has(row.operatorId)) {
      const key = metricKeys.snapshotFailures(orgId, row.id);
      const failures = await redis().incr(key);
      await redis().expire(key, 86_400);
      if (failures < SNAPSHOT_ATTEMPTS) {
        retry = true;
        continue;
      }
    }
    const found = row.operatorId ? details.get(row.operatorId) : null;
    const state = normaliseDetail(found?.state);
    const role = normaliseDetail(found?.role);
    const key = JSON.stringify([state, role]);
    const group = groups.get(key) ?? { state, role, ids: [] };
    group.ids.push(row.id);
    groups.set(key, group);
  }
  const now = new Date();
  for (const { state, role, ids } of groups.values()) {
    await scoped.updateMany({ where: { id: { in: ids }, operatorCheckedAt: null }, data: { operatorState: state, operatorRole: role, operatorCheckedAt: now } });
  }
  return { ok: !retry, pending: read.length };
}

/**
 * Snapshots, from the Redis cache only, the oldest registrations still waiting for their operator,
 * so the holder of the metrics lock can count a backlog without waiting for each intake batch's
 * job. Operators not cached are left to those jobs (which ask the store, with their retries).
 * @param orgId the org.
 * @param limit how many registrations to look at.
 * @returns how many were looked at and how many snapshotted.
 */
export async function snapshotCachedOperators(orgId: number, limit: number): Promise<{ read: number; snapshotted: number }> {
  const scoped = orgDb(orgId).registration;
  const rows = await scoped.findMany({
    where: { metricsAppliedAt: null, operatorCheckedAt: null },
    orderBy: { createdAt: 'asc' },
    take: limit,
    select: { id: true, operatorId: true },
  });
  const operators = [...new Set(rows.map((r) => r.operatorId).filter((o): o is string => !!o))];
  if (!operators.length) return { read: rows.length, snapshotted: 0 };
  const cached = await redis().mget(...operators.map((o) => metricKeys.identity(orgId, o)));
  const details = new Map(operators.flatMap((o, i) => (cached[i] == null ? [] : [[o, JSON.parse(cached[i]!) as Record<string, unknown> | null] as const])));
  const groups = new Map<string, { state: string | null; role: string | null; ids: string[] }>();
  for (const row of rows) {
    if (!row.operatorId || !details.has(row.operatorId)) continue;
    const found = details.get(row.operatorId);
    const [state, role] = [normaliseDetail(found?.state), normaliseDetail(found?.role)];
    const key = JSON.stringify([state, role]);
    const group = groups.get(key) ?? { state, role, ids: [] };
    group.ids.push(row.id);
    groups.set(key, group);
  }
  const now = new Date();
  let count = 0;
  for (const { state, role, ids } of groups.values()) {
    count += (await scoped.updateMany({ where: { id: { in: ids }, operatorCheckedAt: null }, data: { operatorState: state, operatorRole: role, operatorCheckedAt: now } })).count;
  }
  return { read: rows.length, snapshotted: count };
}
