import type { Prisma } from '../../../generated/prisma/client.js';
import { regionLinks, type RegionLinks } from '../../../pollruns/startRules.js';
import type { RegionContext } from '../../../regions/context.js';
import { orgDb } from '../../../tenancy/orgDb.js';

/**
 * The org's whole active region tree, for ancestor and descendant look-ups (a start propagated
 * from above a supervisor's regions still reaches them, spec §12.1).
 * @param orgId the org.
 * @returns the look-ups.
 */
export async function orgRegionLinks(orgId: number): Promise<RegionLinks> {
  return regionLinks(await orgDb(orgId).region.findMany({ where: { isActive: true }, select: { id: true, parentId: true } }));
}

/**
 * The poll runs a region context lists (spec §12.1 visibleForRegion), as a Prisma condition, so
 * lists count and page in the database: poll runs of tracked polls whose region is null or the
 * current one, propagated from an ancestor, or (with sub-regions) below it. A user limited to
 * regions who has none sees nothing.
 * @param context the region context.
 * @param links the org's region tree.
 * @returns the condition on poll runs.
 */
export function visibleRunsWhere(context: RegionContext, links: RegionLinks): Prisma.PollRunWhereInput {
  const tracked: Prisma.PollRunWhereInput = { poll: { isActive: true } };
  const current = context.current?.id ?? null;
  if (current === null) return context.userRegionIds ? { id: { in: [] } } : tracked;
  return {
    ...tracked,
    OR: [
      { regionId: null },
      { regionId: current },
      { type: 'propagated', regionId: { in: [...links.ancestors(current)] } },
      ...(context.includeSubregions ? [{ regionId: { in: [...links.descendants(current)] } }] : []),
    ],
  };
}

/**
 * The regions whose contacts' responses a page reads (spec §12.4 with §5.1): the current region's
 * subtree within the user's regions, or every active region the user sees.
 * @param context the region context.
 * @returns region ids.
 */
export function contextRegionIds(context: RegionContext): number[] {
  return [...(context.dataRegionIds ?? context.tree.map((r) => r.id))];
}
