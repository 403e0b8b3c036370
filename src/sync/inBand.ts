import { logger } from '../logger.js';
import type { SyncResource } from './resources.js';
import { runSync, type SyncOutcome } from './runSync.js';
import { SYNCERS } from './syncers.js';

/**
 * Refreshes a small resource while a page opens (the selection pages list fresh groups), without
 * making the page wait long or fail: after `timeoutMs` the page shows what is stored.
 * @param orgId the org.
 * @param resource a small resource (groups, fields).
 * @param timeoutMs how long the page may wait.
 * @returns the outcome, or null when it took too long or failed.
 */
export async function refreshInBand(orgId: number, resource: SyncResource, timeoutMs = 5_000): Promise<SyncOutcome | null> {
  const run = runSync(orgId, SYNCERS[resource], { force: true }).catch((error: unknown) => {
    logger.warn({ orgId, resource, err: error }, 'in-band refresh failed');
    return null;
  });
  const timeout = new Promise<null>((resolve) => setTimeout(() => resolve(null), timeoutMs).unref());
  return Promise.race([run, timeout]);
}
