import { orgDb } from '../tenancy/orgDb.js';
import type { TrackedPoll } from './runMapping.js';

/**
 * The org's tracked polls by flow uuid, each with its active questions (invariant 6), for ingestion.
 * @param orgId the org.
 * @returns flow uuid → tracked poll.
 */
export async function loadTrackedPolls(orgId: number): Promise<Map<string, TrackedPoll>> {
  const polls = await orgDb(orgId).poll.findMany({
    where: { isActive: true },
    select: { id: true, flowUuid: true, questions: { where: { isActive: true }, select: { id: true, key: true, rulesetUuids: true } } },
  });
  return new Map(
    polls.map((poll) => [
      poll.flowUuid,
      {
        pollId: poll.id,
        questionsByKey: new Map(poll.questions.map((q) => [q.key, q.id])),
        questionsByNode: new Map(poll.questions.flatMap((q) => q.rulesetUuids.map((node) => [node, q.id] as const))),
      },
    ]),
  );
}
