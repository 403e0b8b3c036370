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

/** A registration waiting for its metrics, as far as its operator snapshot goes. */
export interface SnapshotRow {
  id: string;
  operatorId: string | null;
  operatorCheckedAt: Date | null;
  operatorState: string | null;
  operatorRole: string | null;
}

/** The operator's normalised state and role a registration is counted with. */
export type Snapshot = Pick<SnapshotRow, 'operatorState' | 'operatorRole'>;

/**
 * Looks up in the Identity Store the operators of registrations not snapshotted yet (one call for
 * those not cached) and caches them for the apply step, which snapshots and counts a registration
 * in one write. A row whose look-up failed SNAPSHOT_ATTEMPTS times is snapshotted now without state
 * and role, so that its other metrics are not blocked.
 * @returns false when a look-up failed and should be retried.
 */
async function lookUpOperators(orgId: number, rows: Pick<SnapshotRow, 'id' | 'operatorId'>[]): Promise<boolean> {
  const { failed } = await operatorDetails(orgId, [...new Set(rows.flatMap((r) => r.operatorId || []))], true);
  let retry = false;
  const givenUp: string[] = [];
  for (const row of rows) {
    if (!row.operatorId || !failed.has(row.operatorId)) continue;
    const key = metricKeys.snapshotFailures(orgId, row.id);
    const failures = await redis().incr(key);
    await redis().expire(key, 86_400);
    if (failures < SNAPSHOT_ATTEMPTS) retry = true;
    else givenUp.push(row.id);
  }
  if (givenUp.length) {
    const data = { operatorState: null, operatorRole: null, operatorCheckedAt: new Date() };
    await orgDb(orgId).registration.updateMany({ where: { id: { in: givenUp }, operatorCheckedAt: null }, data });
  }
  return !retry;
}

/**
 * Looks up the operator of one registration before its metrics are applied (spec §8.5 step 2,
 * decision 5); see lookUpOperators.
 * @param orgId the org.
 * @param registrationId the registration.
 * @returns false when the look-up failed and should be retried.
 */
export async function lookUpOperator(orgId: number, registrationId: string): Promise<boolean> {
  const row = await orgDb(orgId).registration.findFirst({ where: { id: registrationId, operatorCheckedAt: null }, select: { id: true, operatorId: true } });
  return row ? lookUpOperators(orgId, [row]) : true;
}

/**
 * Looks up, at once, the operators of the oldest pending registrations not snapshotted yet (the
 * ones the next apply batch takes); see lookUpOperators.
 * @param orgId the org.
 * @param limit how many registrations to look at.
 * @returns false when a look-up failed and should be retried.
 */
export async function lookUpPendingOperators(orgId: number, limit: number): Promise<boolean> {
  const rows = await orgDb(orgId).registration.findMany({
    where: { metricsAppliedAt: null, operatorCheckedAt: null },
    orderBy: { createdAt: 'asc' },
    take: limit,
    select: { id: true, operatorId: true },
  });
  return lookUpOperators(orgId, rows);
}

/**
 * The snapshot each registration is counted with: its own when it has one, none without an operator,
 * else its operator's cached details. A row whose operator is not cached is left out, for a job
 * that looks it up first. Nothing is written: the apply step stores the snapshot with its mark.
 * @param orgId the org.
 * @param rows pending registrations.
 * @returns registration id → snapshot.
 */
export async function snapshotsFromCache(orgId: number, rows: SnapshotRow[]): Promise<Map<string, Snapshot>> {
  const unchecked = rows.filter((r) => !r.operatorCheckedAt && r.operatorId);
  const { details } = await operatorDetails(orgId, [...new Set(unchecked.map((r) => r.operatorId!))], false);
  const snapshots = new Map<string, Snapshot>();
  for (const row of rows) {
    if (row.operatorCheckedAt) snapshots.set(row.id, { operatorState: row.operatorState, operatorRole: row.operatorRole });
    else if (!row.operatorId) snapshots.set(row.id, { operatorState: null, operatorRole: null });
    else if (details.has(row.operatorId)) {
      const found = details.get(row.operatorId);
      snapshots.set(row.id, { operatorState: normaliseDetail(found?.state), operatorRole: normaliseDetail(found?.role) });
    }
  }
  return snapshots;
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
