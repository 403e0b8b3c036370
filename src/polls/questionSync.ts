import type { Prisma } from '../generated/prisma/client.js';
import type { Question as FlowQuestion } from '../rapidpro/definitions/types.js';
import { guessType, toStoredRules } from './rules.js';

/** What applying a flow's questions changed. */
export interface QuestionChanges {
  created: number;
  updated: number;
  /** Questions whose key no node writes any more (kept, marked missing). */
  missing: number;
}

/**
 * Brings a poll's questions in line with its flow definition (spec §8.8 with Q4 and D6): questions
 * are matched by result key; sync owns the RapidPro name, node uuids, flow order, rules and
 * categories, guesses the type only while no admin has chosen one, never touches the custom name,
 * admin order or the shown flag, and marks questions whose key vanished missing and inactive instead
 * of deleting them (they come back shown when the key reappears).
 * @param tx a transaction.
 * @param orgId the org.
 * @param pollId the poll.
 * @param questions the flow's questions from the definitions extractor, in flow order.
 * @returns counts of the changes.
 */
export async function applyFlowQuestions(tx: Prisma.TransactionClient, orgId: number, pollId: number, questions: FlowQuestion[]): Promise<QuestionChanges> {
  const existing = new Map((await tx.question.findMany({ where: { orgId, pollId } })).map((q) => [q.key, q]));
  const changes: QuestionChanges = { created: 0, updated: 0, missing: 0 };
  for (const question of questions) {
    const rules = toStoredRules(question.rules);
    const synced = {
      rulesetUuids: question.nodeUuids,
      rapidproName: question.name.slice(0, 128),
      flowOrder: question.order + 1,
      rules: rules as unknown as Prisma.InputJsonValue,
      categories: question.categories,
      isMissingInRapidPro: false,
    };
    const current = existing.get(question.key);
    if (!current) {
      await tx.question.create({ data: { orgId, pollId, key: question.key.slice(0, 128), type: guessType(rules), ...synced } });
      changes.created++;
      continue;
    }
    existing.delete(question.key);
    // A question that vanished was switched off by sync; when its key comes back, so does it.
    const back = current.isMissingInRapidPro ? { isActive: true } : {};
    await tx.question.update({ where: { id: current.id }, data: { ...synced, ...back, ...(current.typeSetByAdmin ? {} : { type: guessType(rules) }) } });
    changes.updated++;
  }
  const gone = [...existing.values()].filter((q) => !q.isMissingInRapidPro).map((q) => q.id);
  if (gone.length) {
    await tx.question.updateMany({ where: { orgId, id: { in: gone } }, data: { isMissingInRapidPro: true, isActive: false } });
    changes.missing = gone.length;
  }
  return changes;
}
