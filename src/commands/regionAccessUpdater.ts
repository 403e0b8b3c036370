import { db } from '../db/client.js';
import { orgDb } from '../tenancy/orgDb.js';

/**
 * Replaces the regions a supervisor or viewer may see in one org (access to a region includes its
 * sub-regions). Ids that are not active regions of the org are ignored.
 * @param orgId the org.
 * @param userId the member.
 * @param regionIds the regions to assign.
 * @returns the ids assigned.
 */
export async function setRegionAccess(orgId: number, userId: number, regionIds: number[]): Promise<number[]> {
  const valid = await orgDb(orgId).region.findMany({ where: { id: { in: regionIds }, isActive: true }, select: { id: true } });
  const ids = valid.map((r) => r.id);
  await db().$transaction([
    orgDb(orgId).regionAccess.deleteMany({ where: { userId } }),
    orgDb(orgId).regionAccess.createMany({ data: ids.map((regionId) => ({ orgId, userId, regionId })) }),
  ]);
  return ids;
}
