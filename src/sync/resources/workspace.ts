import { db } from '../../db/client.js';
import { prismaExecutor } from '../../db/executor.js';
import type { Syncer } from '../runSync.js';

/** The workspace itself, daily: proves the token works and records RapidPro's name and time zone. */
export const workspaceSyncer: Syncer = {
  resource: 'workspace',
  async run(context) {
    const workspace = await context.client.workspace();
    await db().$transaction(async (tx) => {
      const settings = { ...(context.org.settings as object), rapidProWorkspace: { name: workspace.name, timezone: workspace.timezone, languages: workspace.languages } };
      await tx.org.update({ where: { id: context.org.id }, data: { settings } });
      await context.checkpoint(prismaExecutor(tx), { counts: { updated: 1 } });
    });
  },
};
