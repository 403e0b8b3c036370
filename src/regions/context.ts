import { db } from '../db/client.js';
import type { Actor } from '../policies/index.js';
import { treeOrder, withDescendants, type Ordered } from './tree.js';

export interface RegionRow {
  id: number;
  name: string;
  parentId: number | null;
  boundaryId: number | null;
}

/** What a user chose in the region picker, kept in the session per org. */
export interface RegionChoice {
  /** A region id, 'all', or undefined for the default. */
  region?: number | 'all';
  includeSubregions?: boolean;
}

/** The region context of a request (spec §5.1). */
export interface RegionContext {
  /** Active regions of the org in tree order. */
  tree: Ordered<RegionRow>[];
  /** Regions the user may see (direct and their sub-regions); null means every region of the org. */
  userRegionIds: Set<number> | null;
  /** The picked region, or null for "All regions". */
  current: Ordered<RegionRow> | null;
  includeSubregions: boolean;
  /** Regions whose data pages show; null means no restriction. */
  dataRegionIds: Set<number> | null;
  /** "All regions" may be picked (admins, superusers, and viewers without assigned regions). */
  canPickAll: boolean;
  showSubregionToggle: boolean;
}

/**
 * Works out which regions a user sees and shows (spec §5.1, decision D1): admins and superusers
 * see every region; supervisors and viewers their assigned regions and all sub-regions; a viewer
 * with no assignment sees the whole org. Without a stored choice, admins start on "All regions"
 * and others on their first region in tree order.
 * @param orgId the org.
 * @param actor who asks.
 * @param choice the stored picker choice.
 * @returns the context.
 */
export async function loadRegionContext(orgId: number, actor: Actor, choice: RegionChoice = {}): Promise<RegionContext> {
  const regions = await db().region.findMany({
    where: { orgId, isActive: true },
    select: { id: true, name: true, parentId: true, boundaryId: true },
  });
  const tree = treeOrder(regions);
  const seesAll = actor.isSuperuser || actor.role === 'admin';
  let userRegionIds: Set<number> | null = null;
  if (!seesAll) {
    const direct = await db().regionAccess.findMany({ where: { orgId, userId: actor.userId }, select: { regionId: true } });
    const active = new Set(regions.map((r) => r.id));
    const assigned = direct.map((d) => d.regionId).filter((id) => active.has(id));
    if (assigned.length || actor.role === 'supervisor') userRegionIds = withDescendants(regions, assigned);
  }
  const canPickAll = userRegionIds === null;
  const visible = userRegionIds ? tree.filter((r) => userRegionIds!.has(r.id)) : tree;
  let current: Ordered<RegionRow> | null = null;
  if (typeof choice.region === 'number') current = visible.find((r) => r.id === choice.region) ?? null;
  if (!current && !canPickAll) current = visible[0] ?? null;
  const includeSubregions = choice.includeSubregions ?? true;
  let dataRegionIds: Set<number> | null = null;
  if (current) {
    dataRegionIds = includeSubregions ? withDescendants(regions, [current.id]) : new Set([current.id]);
    if (userRegionIds) dataRegionIds = new Set([...dataRegionIds].filter((id) => userRegionIds!.has(id)));
  } else if (userRegionIds) {
    dataRegionIds = userRegionIds;
  }
  const showSubregionToggle = Boolean(current && regions.some((r) => r.parentId === current!.id && (!userRegionIds || userRegionIds.has(r.id))));
  return { tree: visible, userRegionIds, current, includeSubregions, dataRegionIds, canPickAll, showSubregionToggle };
}

/**
 * Limits a contact query to the regions a user may see (detail pages) or shows (lists).
 * @param context the region context.
 * @param use 'access' for a single contact (userRegions), 'list' for lists (also dataRegions).
 * @returns a Prisma where fragment.
 */
export function contactRegionFilter(context: RegionContext, use: 'access' | 'list'): { regionId?: { in: number[] } } {
  const ids = use === 'list' ? (context.dataRegionIds ?? context.userRegionIds) : context.userRegionIds;
  return ids ? { regionId: { in: [...ids] } } : {};
}
