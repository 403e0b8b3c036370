import type { Prisma } from '../generated/prisma/client.js';
import type { TrackedGroups } from './contactMapping.js';

/**
 * Loads the org's tracked groups for contact mapping.
 * @param tx a client or transaction.
 * @param orgId the org.
 * @returns active regions and all reporter groups, by RapidPro group uuid.
 */
export async function loadTrackedGroups(tx: Prisma.TransactionClient, orgId: number): Promise<TrackedGroups> {
  const [regions, groups] = await Promise.all([
    tx.region.findMany({ where: { orgId, isActive: true }, select: { id: true, uuid: true, name: true } }),
    tx.reporterGroup.findMany({ where: { orgId }, select: { id: true, uuid: true } }),
  ]);
  return {
    regions: new Map(regions.map((r) => [r.uuid, { id: r.id, name: r.name }])),
    reporterGroups: new Map(groups.map((g) => [g.uuid, g.id])),
  };
}
