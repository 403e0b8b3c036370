import { db } from '../../db/client.js';
import { prismaExecutor } from '../../db/executor.js';
import type { Syncer } from '../runSync.js';

const VALUE_TYPES = { text: 'text', number: 'numeric', numeric: 'numeric', datetime: 'datetime', state: 'state', district: 'district', ward: 'ward' } as const;

/**
 * Contact field definitions, refreshed in full (spec §8.6): new fields start hidden, existing
 * ones keep their visibility, fields gone from RapidPro are removed.
 */
export const fieldsSyncer: Syncer = {
  resource: 'fields',
  async run(context) {
    const orgId = context.org.id;
    const remote = await context.client.fields().all();
    await db().$transaction(async (tx) => {
      const existing = new Set((await tx.dataField.findMany({ where: { orgId }, select: { key: true } })).map((f) => f.key));
      const removed = await tx.dataField.deleteMany({ where: { orgId, key: { notIn: remote.map((f) => f.key) } } });
      for (const field of remote) {
        const valueType = VALUE_TYPES[field.type as keyof typeof VALUE_TYPES] ?? 'text';
        await tx.dataField.upsert({
          where: { orgId_key: { orgId, key: field.key } },
          create: { orgId, key: field.key, label: field.name.slice(0, 255), valueType },
          update: { label: field.name.slice(0, 255), valueType },
        });
      }
      const created = remote.filter((f) => !existing.has(f.key)).length;
      await context.checkpoint(prismaExecutor(tx), { counts: { created, updated: remote.length - created, deleted: removed.count } });
    });
  },
};
