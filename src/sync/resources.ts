/** Everything a sync job can pull from RapidPro, with how often the scheduler runs it. */
export const SYNC_RESOURCES = {
  workspace: { everyMs: 24 * 3600_000 },
  groups: { everyMs: 30 * 60_000 },
  fields: { everyMs: 30 * 60_000 },
  flows: { everyMs: 30 * 60_000 },
  boundaries: { everyMs: 24 * 3600_000 },
  contacts: { everyMs: 5 * 60_000 },
  runs: { everyMs: 5 * 60_000 },
  'runs-backfill': { everyMs: 5 * 60_000 },
  inbox: { everyMs: 5 * 60_000 },
} as const;

export type SyncResource = keyof typeof SYNC_RESOURCES;
export const SYNC_RESOURCE_NAMES = Object.keys(SYNC_RESOURCES) as SyncResource[];

/** Counts a sync reports (spec D3): every sync uses the names that apply to it. */
export interface SyncCounts {
  created?: number;
  updated?: number;
  deactivated?: number;
  deleted?: number;
  failed?: number;
  /** Rows left alone on purpose (runs or messages of contacts unknown here, runs of inactive ones, invariant 17). */
  skipped?: number;
}

/**
 * Adds counts together.
 * @param a counts so far.
 * @param b counts to add.
 * @returns the sum, key by key.
 */
export function addCounts(a: SyncCounts, b: SyncCounts): SyncCounts {
  const sum: Record<string, number> = { ...(a as Record<string, number>) };
  for (const [key, value] of Object.entries(b)) sum[key] = (sum[key] ?? 0) + (value ?? 0);
  return sum as SyncCounts;
}
