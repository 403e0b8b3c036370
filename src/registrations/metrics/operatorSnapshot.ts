import { redis } from '../../db/redis.js';
import type { Prisma } from '../../generated/prisma/client.js';
import { orgDb } from '../../tenancy/orgDb.js';
import { AdapterError } from '../adapters/httpClient.js';
import { adaptersFor } from '../adapters/index.js';
import { loadConfig } from '../config.js';
import { metricKeys } from './keys.js';
import { normaliseDetail } from './names.js';

const CACHE_SECONDS = 3600;
/** After this many failed look-ups the registration is counted without state and role. */
export const SNAPSHOT_ATTEMPTS = 3;

type Details = Record<string, unknown> | null;

/**
 * Operators' identity details (null: unknown to the store): from the Redis cache, and on a miss,
 * when lookUp is set, from the Identity Store in one call, cached for an hour. An operator missing
 * from the answer was not cached (without lookUp) or its look-up failed (in `failed`).
 */
async function operatorDetails(orgId: number, operators: string[], lookUp: boolean): Promise<{ details: Map<string, Details>; failed: Set<string> }> {
  const details = new Map<string, Details>();
  const failed = new Set<string>();
  if (!operators.length) return { details, failed };
  const cached = await redis().mget(...operators.map((o) => metricKeys.identity(orgId, o)));
  operators.forEach((o, i) => cached[i] != null && details.set(o, JSON.parse(cached[i]!) as Details));
  const missing = operators.filter((o) => !details.has(o));
  if (!lookUp || !missing.length) return { details, failed };
  const found = await adaptersFor(orgId, await loadConfig(orgId)).identityStore.getIdentities(missing).catch(() => new Map());
  const pipeline = redis().pipeline();
  for (const operator of missing) {
    if (!found.has(operator)) {
      failed.add(operator);
      continue;
    }
    const value = found.get(operator)?.details ?? null;
    details.set(operator, value);
    pipeline.set(metricKeys.identity(orgId, operator), JSON.stringify(value), 'EX', CACHE_SECONDS);
  }
  await pipeline.exec();
  return { details, failed };
}

/**
 * Writes the snapshots of registrations, one update per distinct (state, role). A row whose look-up
 * failed is retried until SNAPSHOT_ATTEMPTS, then snapshotted without state and role so that its
 * other metrics are not blocked; a row whose operator is not cached (no look-up) is left alone.
 */
async function snapshotRows(orgId: number, rows: { id: string; operatorId: string | null }[], lookUp: boolean): Promise<{ snapshotted: number; retry: boolean }> {
  const { details, failed } = await operatorDetails(orgId, [...new Set(rows.flatMap((r) => r.operatorId || []))], lookUp);
  let retry = false;
  const groups = new Map<string, { state: string | null; role: string | null; ids: string[] }>();
  for (const row of rows) {
    if (row.operatorId && !details.has(row.operatorId)) {
      if (!failed.has(row.operatorId)) continue;
      const key = metricKeys.snapshotFailures(orgId, row.id);
      const failures = await redis().incr(key);
      await redis().expire(key, 86_400);
      if (failures < SNAPSHOT_ATTEMPTS) {
        retry = true;
        continue;
      }
    }
    const found = row.operatorId ? details.get(row.operatorId) : null;
    const [state, role] = [normaliseDetail(found?.state), normaliseDetail(found?.role)];
    const key = JSON.stringify([state, role]);
    const group = groups.get(key) ?? { state, role, ids: [] };
    group.ids.push(row.id);
    groups.set(key, group);
  }
  const now = new Date();
  let snapshotted = 0;
  for (const { state, role, ids } of groups.values()) {
    const data = { operatorState: state, operatorRole: role, operatorCheckedAt: now };
    snapshotted += (await orgDb(orgId).registration.updateMany({ where: { id: { in: ids }, operatorCheckedAt: null }, data })).count;
  }
  return { snapshotted, retry };
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
  const row = await orgDb(orgId).registration.findFirst({ where: { id: registrationId }, select: { id: true, operatorId: true, operatorCheckedAt: true } });
  if (!row || row.operatorCheckedAt) return true;
  return !(await snapshotRows(orgId, [row], true)).retry;
}

/** What a snapshot of pending registrations did. */
export interface PendingSnapshot {
  /** Registrations looked at (the oldest pending ones without a snapshot). */
  read: number;
  /** Registrations snapshotted. */
  snapshotted: number;
  /** Whether some look-up failed and should be retried. */
  retry: boolean;
}

/**
 * Snapshots the operators of the oldest registrations still waiting for one, at once: one read of
 * the rows, one Redis read of the cached details, one Identity Store call for the operators not
 * cached (when lookUp is set), and one update per distinct (state, role). Without lookUp, rows
 * whose operator is not cached are left for a job that looks them up.
 * @param orgId the org.
 * @param options limit: how many registrations to look at; lookUp: ask the store on a cache miss.
 * @returns what was read and snapshotted, and whether a failed look-up wants a retry.
 */
export async function snapshotPendingOperators(orgId: number, options: { limit: number; lookUp: boolean }): Promise<PendingSnapshot> {
  const rows = await orgDb(orgId).registration.findMany({
    where: { metricsAppliedAt: null, operatorCheckedAt: null },
    orderBy: { createdAt: 'asc' },
    take: options.limit,
    select: { id: true, operatorId: true },
  });
  return { read: rows.length, ...(await snapshotRows(orgId, rows, options.lookUp)) };
}

/** A registration that never got a snapshot, with its operator's state and role as the Identity Store says now. */
export interface ResolvedRegistration {
  createdAt: Date;
  operatorState: string | null;
  operatorRole: string | null;
}

/**
 * Registrations that never got an operator snapshot (imported rows, or rows whose metrics job has
 * not run yet), with their operator's normalised state and role looked up through the Identity
 * Store now (spec §8.6): windows and series count them as if snapshotted. Nothing is written.
 * @param orgId the org.
 * @param where which registrations (a window, sources).
 * @returns the registrations with an operator and no snapshot.
 * @throws AdapterError when the store does not answer for one of the operators.
 */
export async function resolveUnsnapshotted(orgId: number, where: Prisma.RegistrationWhereInput): Promise<ResolvedRegistration[]> {
  const rows = await orgDb(orgId).registration.findMany({
    where: { ...where, operatorCheckedAt: null, AND: [{ operatorId: { not: null } }, { operatorId: { not: '' } }] },
    select: { operatorId: true, createdAt: true },
  });
  if (!rows.length) return [];
  const { details, failed } = await operatorDetails(orgId, [...new Set(rows.map((r) => r.operatorId!))], true);
  if (failed.size) throw new AdapterError(`The Identity Store did not answer for ${failed.size} operators.`);
  return rows.map((r) => {
    const found = details.get(r.operatorId!);
    return { createdAt: r.createdAt, operatorState: normaliseDetail(found?.state), operatorRole: normaliseDetail(found?.role) };
  });
}
