import type { SyncState } from '../generated/prisma/client.js';
import { SYNC_RESOURCE_NAMES, SYNC_RESOURCES, type SyncCounts, type SyncResource } from '../sync/resources.js';

/** One row of the sync status page. */
export interface SyncStatusRow {
  resource: SyncResource;
  running: boolean;
  lastSuccessAt: Date | null;
  nextRunAt: Date | null;
  lastCounts: SyncCounts;
  failures: number;
  lastError: string | null;
  lastErrorAt: Date | null;
  /** Rows read so far by a walk in progress (first imports show it). */
  progressDone: number | null;
}

/**
 * Presents each resource's sync state, in a fixed order, including resources never synced.
 * @param states the org's sync_states rows.
 * @param now the current time.
 * @returns one row per resource.
 */
export function presentSyncStatus(states: SyncState[], now = new Date()): SyncStatusRow[] {
  const byResource = new Map(states.map((s) => [s.resource, s]));
  return SYNC_RESOURCE_NAMES.map((resource) => {
    const state = byResource.get(resource);
    const cadence = SYNC_RESOURCES[resource].everyMs;
    const due = state?.lastSuccessAt ? new Date(state.lastSuccessAt.getTime() + cadence) : now;
    const notBefore = state?.notBefore && state.notBefore > due ? state.notBefore : due;
    const progress = state?.progress as { done?: number } | undefined;
    return {
      resource,
      running: Boolean(state?.leaseUntil && state.leaseUntil > now),
      lastSuccessAt: state?.lastSuccessAt ?? null,
      nextRunAt: notBefore,
      lastCounts: (state?.lastCounts ?? {}) as SyncCounts,
      failures: state?.failures ?? 0,
      lastError: state?.failures ? state.lastError : null,
      lastErrorAt: state?.lastErrorAt ?? null,
      progressDone: state?.cursor && typeof progress?.done === 'number' ? progress.done : null,
    };
  });
}
