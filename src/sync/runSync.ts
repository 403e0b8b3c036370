import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { db } from '../db/client.js';
import { acquireSyncLease, checkpointSyncState, renewSyncLease } from '../db/syncStates.js';
import { env } from '../env.js';
import type { SqlExecutor } from '../db/executor.js';
import type { Org, SyncState } from '../generated/prisma/client.js';
import { InvalidTokenError, ThrottledError, type RapidProClient } from '../rapidpro/client/index.js';
import { backoffMs } from './backoff.js';
import { addCounts, type SyncCounts, type SyncResource } from './resources.js';
import { notifyInvalidToken } from './invalidTokenNotice.js';
import { rapidProFor } from './rapidProFor.js';

/** What a syncer gets: the org, its client, its durable state, and a way to checkpoint. */
export interface SyncContext {
  org: Org;
  client: RapidProClient;
  state: SyncState;
  /**
   * Records a page's cursor, watermarks and counts in the page's own transaction, so a killed
   * worker loses at most that page. Throws when the lease was lost.
   */
  checkpoint(execute: SqlExecutor, changes: { cursor?: string | null; watermark?: Date | null; deletedMark?: Date | null; counts?: SyncCounts; progress?: object }): Promise<void>;
}

/** A sync of one resource; `run` returns the counts of the whole walk (including resumed pages). */
export interface Syncer {
  resource: SyncResource;
  run(context: SyncContext): Promise<void>;
}

export type SyncOutcome =
  | { status: 'done'; counts: SyncCounts }
  | { status: 'skipped'; reason: 'running' | 'waiting' | 'inactive' | 'no-token'; until?: Date }
  | { status: 'throttled'; retryAt: Date }
  | { status: 'invalid-token'; message: string };

/** The lease was taken over (it ran out while this run was stuck): stop without recording anything. */
export class LeaseLostError extends Error {}

/**
 * Runs one (org, resource) sync inside its envelope: a lease renewed while it runs (so one pair
 * never runs twice at once), backoff after failures, throttling as a pause rather than a failure,
 * and an invalid token that flags the org and tells its admins instead of failing loudly.
 * @param orgId the org.
 * @param syncer the resource's syncer.
 * @param options force: ignore the backoff (a manual sync).
 * @returns what happened; unexpected errors are recorded and rethrown.
 */
export async function runSync(orgId: number, syncer: Syncer, options: { force?: boolean } = {}): Promise<SyncOutcome> {
  const org = await db().org.findUnique({ where: { id: orgId } });
  if (!org || !org.isActive) return { status: 'skipped', reason: 'inactive' };
  if (!org.apiTokenEncrypted) return { status: 'skipped', reason: 'no-token' };
  const owner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const seconds = env().SYNC_LEASE_SECONDS;
  const state = await acquireSyncLease(orgId, syncer.resource, owner, seconds, options.force ?? false);
  if (!state) return skipped(orgId, syncer.resource);

  let lost = false;
  const renewal = setInterval(() => {
    renewSyncLease(orgId, syncer.resource, owner, seconds).then((held) => (lost ||= !held), () => undefined);
  }, (seconds * 1000) / 4);
  const where = { orgId_resource: { orgId, resource: syncer.resource } } as const;
  const release = { leaseOwner: null, leaseUntil: null };

  let runningCounts = state.counts as SyncCounts;
  try {
    const context: SyncContext = {
      org,
      client: rapidProFor(org),
      state,
      async checkpoint(execute, changes) {
        // One writer per (org, resource) holds the lease, so counts can be totalled here.
        if (changes.counts) runningCounts = addCounts(runningCounts, changes.counts);
        const held = !lost && (await checkpointSyncState(execute, orgId, syncer.resource, owner, { ...changes, ...(changes.counts ? { counts: runningCounts } : {}) }));
        if (!held) throw new LeaseLostError();
      },
    };
    await syncer.run(context);
    const finished = await db().syncState.findUniqueOrThrow({ where });
    const counts = finished.counts as SyncCounts;
    await db().$transaction([
      db().syncState.update({
        where,
        data: { ...release, lastSuccessAt: new Date(), failures: 0, lastError: null, notBefore: null, lastCounts: counts as object, counts: {}, progress: {} },
      }),
      db().org.update({ where: { id: orgId }, data: { apiTokenError: null } }),
    ]);
    return { status: 'done', counts };
  } catch (error) {
    if (error instanceof LeaseLostError) return { status: 'skipped', reason: 'running' };
    if (error instanceof ThrottledError) {
      await db().syncState.update({ where, data: { ...release, notBefore: error.retryAt } });
      return { status: 'throttled', retryAt: error.retryAt };
    }
    const failures = state.failures + 1;
    const message = error instanceof Error ? error.message : String(error);
    await db().syncState.update({
      where,
      data: { ...release, failures, lastError: message.slice(0, 2000), lastErrorAt: new Date(), notBefore: new Date(Date.now() + backoffMs(failures)) },
    });
    if (error instanceof InvalidTokenError) {
      await notifyInvalidToken(org, message);
      return { status: 'invalid-token', message };
    }
    throw error;
  } finally {
    clearInterval(renewal);
  }
}

/** Why the lease was not taken: another run holds it (until it ends or runs out), or the backoff has not passed. */
async function skipped(orgId: number, resource: string): Promise<SyncOutcome> {
  const state = await db().syncState.findUnique({ where: { orgId_resource: { orgId, resource } } });
  if (state?.leaseUntil && state.leaseUntil > new Date()) return { status: 'skipped', reason: 'running', until: state.leaseUntil };
  return { status: 'skipped', reason: 'waiting', ...(state?.notBefore ? { until: state.notBefore } : {}) };
}
