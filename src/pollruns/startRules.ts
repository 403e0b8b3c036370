import type { PollRunType } from '../generated/prisma/enums.js';
import { withDescendants, type TreeNode } from '../regions/tree.js';

/** RapidPro takes at most 100 contacts in one flow start (spec §9.4 step 2). */
export const START_BATCH_SIZE = 100;

/** Where a poll run was sent and when: what the visibility rules read of it. */
export interface PlacedPollRun {
  id: number;
  type: PollRunType;
  regionId: number | null;
  conductedOn: Date;
}

/** The org's active regions, for ancestor and descendant look-ups. */
export interface RegionLinks {
  ancestors(regionId: number): Set<number>;
  descendants(regionId: number): Set<number>;
}

/**
 * Splits recipients into flow-start batches.
 * @param items the recipients, in sending order.
 * @param size the largest batch.
 * @returns consecutive batches of at most `size` items.
 */
export function inBatches<T>(items: T[], size = START_BATCH_SIZE): T[][] {
  const batches: T[][] = [];
  for (let i = 0; i < items.length; i += size) batches.push(items.slice(i, i + size));
  return batches;
}

/**
 * Indexes the org's region tree. It must hold every active region, not only the user's: a
 * propagated start above a supervisor's regions still reaches them (§12.1).
 * @param regions the org's active regions.
 * @returns ancestor and descendant look-ups (neither includes the region itself).
 */
export function regionLinks(regions: Pick<TreeNode, 'id' | 'parentId'>[]): RegionLinks {
  const parents = new Map(regions.map((r) => [r.id, r.parentId]));
  const nodes = regions.map((r) => ({ ...r, name: '' }));
  return {
    ancestors(regionId) {
      const found = new Set<number>();
      for (let id = parents.get(regionId) ?? null; id !== null && parents.has(id) && !found.has(id); id = parents.get(id) ?? null) found.add(id);
      return found;
    },
    descendants(regionId) {
      const found = withDescendants(nodes, [regionId]);
      found.delete(regionId);
      return found;
    },
  };
}

/**
 * Whether a page for region R lists the poll run (spec §12.1).
 * @param run the poll run.
 * @param region R, or null for "All regions".
 * @param sub whether sub-regions are included.
 * @param links the org's region tree.
 * @returns true when visible.
 */
export function visibleForRegion(run: PlacedPollRun, region: number | null, sub: boolean, links: RegionLinks): boolean {
  if (region === null || run.regionId === null || run.regionId === region) return true;
  if (run.type === 'propagated' && links.ancestors(region).has(run.regionId)) return true;
  return sub && links.descendants(region).has(run.regionId);
}

/**
 * Whether the poll run's responses may be read for region R (spec §12.2).
 * @param run the poll run.
 * @param region R, or null for "All regions".
 * @param sub whether sub-regions are included.
 * @param links the org's region tree.
 * @returns true when covered.
 */
export function coversRegion(run: PlacedPollRun, region: number | null, sub: boolean, links: RegionLinks): boolean {
  if (region === null || run.regionId === null || run.regionId === region) return true;
  if (run.type === 'regional') return sub && links.ancestors(run.regionId).has(region);
  if (run.type === 'propagated') {
    return links.descendants(run.regionId).has(region) || (sub && links.ancestors(run.regionId).has(region));
  }
  return true;
}

/**
 * Whether the poll run is the latest of its poll for region R, which is when restarting its
 * non-respondents is offered (spec §12.3).
 * @param run the poll run.
 * @param samePoll every poll run of the same poll (the run itself may be among them).
 * @param region R, or null for "All regions".
 * @param links the org's region tree.
 * @returns true when no newer poll run of the poll is visible in R.
 */
export function isLatestForRegion(run: PlacedPollRun, samePoll: PlacedPollRun[], region: number | null, links: RegionLinks): boolean {
  if (!coversRegion(run, region, false, links)) return false;
  return !samePoll.some((other) => other.id !== run.id && other.conductedOn > run.conductedOn && visibleForRegion(other, region, false, links));
}

/**
 * Whether non-respondents of the poll run may be restarted from region R (spec §9.5).
 * @param run the poll run.
 * @param samePoll every poll run of the same poll.
 * @param region R, or null for "All regions".
 * @param links the org's region tree.
 * @returns true for a region-started poll run that is the latest for R.
 */
export function canRestart(run: PlacedPollRun, samePoll: PlacedPollRun[], region: number | null, links: RegionLinks): boolean {
  return (run.type === 'regional' || run.type === 'propagated') && isLatestForRegion(run, samePoll, region, links);
}
