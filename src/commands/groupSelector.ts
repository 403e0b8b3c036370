import { db } from '../db/client.js';
import { deactivateRegions } from './regionTree.js';

export type GroupKind = 'regions' | 'reporterGroups';

/**
 * Sets which RapidPro groups an org tracks as regions or as reporter groups (spec §17.5–17.6):
 * unselected ones are deactivated, selected ones created or reactivated with RapidPro's name
 * (a reactivated region comes back at the top level), and selected groups RapidPro no longer has
 * are left out. Contacts are re-mapped afterwards by a job (they keep their RapidPro groups).
 * @param orgId the org.
 * @param kind regions or reporter groups.
 * @param uuids the selected RapidPro group uuids.
 * @returns how many groups are tracked now, and the uuids RapidPro does not know.
 */
export async function selectGroups(orgId: number, kind: GroupKind, uuids: string[]): Promise<{ tracked: number; unknown: string[] }> {
  return db().$transaction(async (tx) => {
    const remote = await tx.rapidProGroup.findMany({ where: { orgId, uuid: { in: uuids } } });
    const known = new Map(remote.map((g) => [g.uuid, g.name]));
    const unknown = uuids.filter((u) => !known.has(u));
    if (kind === 'regions') {
      const dropped = await tx.region.findMany({ where: { orgId, isActive: true, uuid: { notIn: [...known.keys()] } }, select: { id: true } });
      await deactivateRegions(tx, orgId, dropped.map((r) => r.id));
      for (const [uuid, name] of known) {
        const existing = await tx.region.findUnique({ where: { orgId_uuid: { orgId, uuid } } });
        if (!existing) await tx.region.create({ data: { orgId, uuid, name } });
        else await tx.region.update({ where: { id: existing.id }, data: { name, ...(existing.isActive ? {} : { isActive: true, parentId: null }) } });
      }
    } else {
      await tx.reporterGroup.updateMany({ where: { orgId, isActive: true, uuid: { notIn: [...known.keys()] } }, data: { isActive: false } });
      for (const [uuid, name] of known) {
        await tx.reporterGroup.upsert({ where: { orgId_uuid: { orgId, uuid } }, create: { orgId, uuid, name }, update: { name, isActive: true } });
      }
    }
    return { tracked: known.size, unknown };
  });
}
