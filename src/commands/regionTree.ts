import type { Prisma } from '../generated/prisma/client.js';

type Tx = Prisma.TransactionClient;

/**
 * Deactivates regions (spec §6.2): each one's children move to its parent (or become roots),
 * then it is detached and flagged inactive; its contacts are re-mapped by the caller.
 * @param tx a transaction.
 * @param orgId the org.
 * @param ids the regions to deactivate.
 */
export async function deactivateRegions(tx: Tx, orgId: number, ids: number[]): Promise<void> {
  for (const id of ids) {
    const region = await tx.region.findFirst({ where: { orgId, id } });
    if (!region) continue;
    await tx.region.updateMany({ where: { orgId, parentId: id }, data: { parentId: region.parentId } });
    await tx.region.update({ where: { id }, data: { isActive: false, parentId: null } });
  }
}
