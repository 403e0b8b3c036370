import type { Request } from 'express';
import type { IndicatorScope } from '../../../indicators/compute.js';
import { regionLinks } from '../../../pollruns/startRules.js';
import { orgDb } from '../../../tenancy/orgDb.js';
import { readOrgSettings } from '../../../tenancy/orgSettings.js';

/**
 * The org and region context an indicator is computed for (spec §5.1, §12.1, §14.2). The region
 * links come from the whole org's tree: a start propagated from above a supervisor's regions still
 * reaches them.
 * @param req the request (org and region context loaded).
 * @returns the scope, or null when the reader has no region at all (a supervisor without regions).
 */
export async function indicatorScope(req: Request): Promise<IndicatorScope | null> {
  const context = req.regions!;
  if (context.userRegionIds !== null && context.userRegionIds.size === 0) return null;
  const org = req.org!;
  const regions = await orgDb(org.id).region.findMany({ where: { isActive: true }, select: { id: true, parentId: true } });
  return {
    orgId: org.id,
    timeZone: org.timezone,
    sameDayMode: readOrgSettings(org.settings).sameDayMode,
    regionId: context.current?.id ?? null,
    includeSubregions: context.includeSubregions,
    links: regionLinks(regions),
    dataRegionIds: context.dataRegionIds ? [...context.dataRegionIds] : null,
  };
}

/**
 * The names of the regions the reader sees, for region choices and split series.
 * @param req the request.
 * @returns region id → name.
 */
export function regionNames(req: Request): Map<number, string> {
  return new Map(req.regions!.tree.map((r) => [r.id, r.name]));
}
