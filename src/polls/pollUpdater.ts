import { db } from '../db/client.js';
import type { QuestionType } from '../generated/prisma/enums.js';
import { orgDb } from '../tenancy/orgDb.js';
import { customNameFor } from './flows.js';

/** What an admin may change on a question (spec §17.7). */
export interface QuestionEdit {
  /** Display name; blank or the RapidPro name clears the custom name. */
  name: string;
  /** One of the six types; a change marks the type as the admin's (D6). */
  type: QuestionType;
  /** Shown on TracPro. */
  shown: boolean;
  /** Position chosen by the admin; null follows the flow. */
  order: number | null;
}

/**
 * Saves an admin's edit of a poll and its questions in one transaction. A question type that
 * differs from the stored one becomes the admin's, so syncs never change it again; ids that are
 * not the poll's questions are ignored.
 * @param orgId the org.
 * @param pollId the poll (must be the org's).
 * @param edit the poll's display name and the questions' changes by question id.
 * @returns false when the poll is not the org's.
 */
export async function updatePoll(orgId: number, pollId: number, edit: { name: string; questions: Map<number, QuestionEdit> }): Promise<boolean> {
  const poll = await orgDb(orgId).poll.findUnique({ where: { id: pollId }, include: { questions: true } });
  if (!poll) return false;
  await db().$transaction(async (tx) => {
    await tx.poll.update({ where: { id: poll.id }, data: { customName: customNameFor(edit.name, poll.rapidproName) } });
    for (const question of poll.questions) {
      const change = edit.questions.get(question.id);
      if (!change) continue;
      const typeChanged = change.type !== question.type;
      await tx.question.update({
        where: { id: question.id },
        data: {
          customName: customNameFor(change.name, question.rapidproName),
          type: change.type,
          typeSetByAdmin: question.typeSetByAdmin || typeChanged,
          isActive: change.shown,
          adminOrder: change.order,
        },
      });
    }
  });
  return true;
}
