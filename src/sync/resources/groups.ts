import { db } from '../../db/client.js';
import { prismaExecutor } from '../../db/executor.js';
import { recomputeContactMembership } from '../../db/contactSync.js';
import { deactivateRegions } from '../../commands/regionTree.js';
import type { Syncer } from '../runSync.js';

/**
 * Every RapidPro group, refreshed in full (a small set, rapidpro-api §7.4): the selection pages
 * list them; tracked regions and reporter groups take their new names; a tracked group gone from
 * RapidPro is deactivated (a region's children move to its parent) and contacts are re-mapped.
 */
export const groupsSyncer: Syncer = {
  resource: 'groups',
  async run(context) {
    const orgId = context.org.id;
    const remote = (await context.client.groups().all()).filter((g) => !g.system);
    const uuids = remote.map((g) => g.uuid);
    await db().$transaction(async (tx) => {
      const before = await tx.rapidProGroup.count({ where: { orgId } });
      const removed = await tx.rapidProGroup.deleteMany({ where: { orgId, uuid: { notIn: uuids } } });
      for (const group of remote) {
        await tx.rapidProGroup.upsert({
          where: { orgId_uuid: { orgId, uuid: group.uuid } },
          create: { orgId, uuid: group.uuid, name: group.name.slice(0, 128), count: group.count },
          update: { name: group.name.slice(0, 128), count: group.count },
        });
      }
      const names = new Map(remote.map((g) => [g.uuid, g.name.slice(0, 128)]));
      const regions = await tx.region.findMany({ where: { orgId, isActive: true } });
      for (const region of regions) {
        const name = names.get(region.uuid);
        if (name && name !== region.name) await tx.region.update({ where: { id: region.id }, data: { name } });
      }
      const groups = await tx.reporterGroup.findMany({ where: { orgId, isActive: true } });
      for (const group of groups) {
        const name = names.get(group.uuid);
        if (name && name !== group.name) await tx.reporterGroup.update({ where: { id: group.id }, data: { name } });
      }
      const goneRegions = regions.filter((r) => !names.has(r.uuid)).map((r) => r.id);
      const goneGroups = groups.filter((g) => !names.has(g.uuid)).map((g) => g.id);
      if (goneRegions.length) await deactivateRegions(tx, orgId, goneRegions);
      if (goneGroups.length) await tx.reporterGroup.updateMany({ where: { orgId, id: { in: goneGroups } }, data: { isActive: false } });
      if (goneRegions.length || goneGroups.length) await recomputeContactMembership(tx, orgId);
      const created = remote.length - (before - removed.count);
      await context.checkpoint(prismaExecutor(tx), { counts: { created: Math.max(0, created), updated: remote.length - Math.max(0, created), deleted: removed.count } });
    }, { timeout: 120_000 });
  },
};
