import { db } from '../../db/client.js';
import { prismaExecutor } from '../../db/executor.js';
import type { Flow } from '../../rapidpro/client/index.js';
import { applyFlowQuestions } from '../../polls/questionSync.js';
import { isOfferedFlow } from '../../polls/flows.js';
import type { SyncCounts } from '../resources.js';
import type { Syncer } from '../runSync.js';

/** Flows whose definitions one `definitions.json` call fetches. */
export const DEFINITIONS_BATCH = 10;

/**
 * Every RapidPro flow, refreshed in full (spec §8.4 with Q3/Q4, rapidpro-api §7.4): new flows become
 * untracked polls, names follow RapidPro, archived flows are marked, flows gone from RapidPro (or
 * renamed "Single Message …") are soft-archived and untracked. Then the questions of tracked polls
 * whose flow changed since the last refresh (or that have none yet) are refreshed from their
 * definitions, several flows per call, one transaction per batch.
 */
export const flowsSyncer: Syncer = {
  resource: 'flows',
  async run(context) {
    const orgId = context.org.id;
    const remote = (await context.client.flows().all()).filter((f) => isOfferedFlow(f.name));
    const byUuid = new Map(remote.map((f) => [f.uuid, f]));
    await db().$transaction(async (tx) => {
      const local = await tx.poll.findMany({ where: { orgId } });
      const known = new Set(local.map((p) => p.flowUuid));
      const counts: SyncCounts = { created: 0, updated: 0, deactivated: 0 };
      for (const flow of remote) {
        const data = { rapidproName: flow.name.slice(0, 128), isArchivedInRapidPro: flow.archived, isMissingInRapidPro: false, flowType: flow.type.slice(0, 16) };
        if (known.has(flow.uuid)) {
          await tx.poll.update({ where: { orgId_flowUuid: { orgId, flowUuid: flow.uuid } }, data });
          counts.updated!++;
        } else {
          await tx.poll.create({ data: { orgId, flowUuid: flow.uuid, ...data } });
          counts.created!++;
        }
      }
      const gone = local.filter((p) => !byUuid.has(p.flowUuid) && !p.isMissingInRapidPro).map((p) => p.id);
      if (gone.length) await tx.poll.updateMany({ where: { orgId, id: { in: gone } }, data: { isMissingInRapidPro: true, isActive: false } });
      counts.deactivated = gone.length;
      await context.checkpoint(prismaExecutor(tx), { counts });
    }, { timeout: 60_000 });

    const stale = await pollsNeedingQuestions(orgId, byUuid);
    for (let i = 0; i < stale.length; i += DEFINITIONS_BATCH) {
      const batch = stale.slice(i, i + DEFINITIONS_BATCH);
      const { flows } = await context.client.definitions(batch.map((p) => p.flowUuid));
      await db().$transaction(async (tx) => {
        for (const poll of batch) {
          // RapidPro may return flows that were not asked for; only the requested ones count (§8.8).
          const definition = flows.get(poll.flowUuid);
          if (!definition) continue;
          await applyFlowQuestions(tx, orgId, poll.id, definition.questions);
          const modifiedOn = byUuid.get(poll.flowUuid)?.modifiedOn;
          await tx.poll.update({ where: { id: poll.id }, data: { rapidproModifiedOn: modifiedOn ? new Date(modifiedOn.ms) : null } });
        }
        await context.checkpoint(prismaExecutor(tx), {});
      }, { timeout: 60_000 });
    }
  },
};

/**
 * Tracked polls whose questions are due: never fetched, or the flow's modified_on differs from the
 * one seen at the last refresh (servers without modified_on are refreshed every run).
 */
async function pollsNeedingQuestions(orgId: number, remote: Map<string, Flow>) {
  const tracked = await db().poll.findMany({
    where: { orgId, isActive: true, isMissingInRapidPro: false },
    select: { id: true, flowUuid: true, rapidproModifiedOn: true, _count: { select: { questions: true } } },
    orderBy: { id: 'asc' },
  });
  return tracked.filter((poll) => {
    const flow = remote.get(poll.flowUuid);
    if (!flow) return false;
    if (poll._count.questions === 0 || !flow.modifiedOn || !poll.rapidproModifiedOn) return true;
    return poll.rapidproModifiedOn.getTime() !== flow.modifiedOn.ms;
  });
}
