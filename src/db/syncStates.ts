import type { SyncState } from '../generated/prisma/client.js';
import { db } from './client.js';
import type { SqlExecutor } from './executor.js';

/**
 * Takes the lease of one (org, resource) sync, atomically: it succeeds when nobody holds a live
 * lease and (unless forced) the backoff or throttle pause is over. A killed worker's lease simply
 * runs out, so it blocks nothing for longer than the lease.
 * @param orgId the org.
 * @param resource the synced resource.
 * @param owner a unique id of this run.
 * @param seconds the lease length.
 * @param force ignore the backoff (a manual "sync now").
 * @returns the state row when the lease was taken, or null.
 */
export async function acquireSyncLease(orgId: number, resource: string, owner: string, seconds: number, force: boolean): Promise<SyncState | null> {
  const rows = await db().$queryRaw<{ id: number }[]>`
    INSERT INTO sync_states (org_id, resource, lease_owner, lease_until, started_at, updated_at)
    VALUES (${orgId}, ${resource}, ${owner}, now() + make_interval(secs => ${seconds}), now(), now())
    ON CONFLICT (org_id, resource) DO UPDATE
      SET lease_owner = EXCLUDED.lease_owner, lease_until = EXCLUDED.lease_until, started_at = now(), updated_at = now()
      WHERE (sync_states.lease_until IS NULL OR sync_states.lease_until < now())
        AND (${force} OR sync_states.not_before IS NULL OR sync_states.not_before <= now())
    RETURNING id`;
  if (!rows.length) return null;
  return db().syncState.findUnique({ where: { id: rows[0]!.id } });
}

/**
 * Extends a held lease.
 * @param orgId the org.
 * @param resource the resource.
 * @param owner the holder.
 * @param seconds the new length from now.
 * @returns false when the lease was lost (another run took it after it ran out).
 */
export async function renewSyncLease(orgId: number, resource: string, owner: string, seconds: number): Promise<boolean> {
  const count = await db().$executeRaw`
    UPDATE sync_states SET lease_until = now() + make_interval(secs => ${seconds}), updated_at = now()
    WHERE org_id = ${orgId} AND resource = ${resource} AND lease_owner = ${owner}`;
  return count === 1;
}

/** What a page's checkpoint records (counts are the walk's running totals). */
export interface SyncCheckpoint {
  cursor?: string | null;
  watermark?: Date | null;
  deletedMark?: Date | null;
  counts?: object;
  progress?: object;
}

/**
 * Records a page's checkpoint in the page's transaction, in one statement guarded by the lease.
 * @param execute runs SQL in the page's transaction.
 * @param orgId the org.
 * @param resource the resource.
 * @param owner the lease holder.
 * @param changes what to record; undefined fields are left as they are.
 * @returns false when the lease is no longer this run's.
 */
export async function checkpointSyncState(execute: SqlExecutor, orgId: number, resource: string, owner: string, changes: SyncCheckpoint): Promise<boolean> {
  const set = (key: keyof SyncCheckpoint) => changes[key] !== undefined;
  const json = (value: object | undefined) => (value === undefined ? null : JSON.stringify(value));
  const count = await execute(
    `UPDATE sync_states SET
       cursor = CASE WHEN $4 THEN $5::text ELSE cursor END,
       watermark = CASE WHEN $6 THEN $7::timestamp ELSE watermark END,
       deleted_mark = CASE WHEN $8 THEN $9::timestamp ELSE deleted_mark END,
       counts = COALESCE($10::jsonb, counts),
       progress = COALESCE($11::jsonb, progress),
       updated_at = now()
     WHERE org_id = $1 AND resource = $2 AND lease_owner = $3`,
    [orgId, resource, owner, set('cursor'), changes.cursor ?? null, set('watermark'), changes.watermark?.toISOString() ?? null,
      set('deletedMark'), changes.deletedMark?.toISOString() ?? null, json(changes.counts), json(changes.progress)],
  );
  return count === 1;
}
