import type { Poll, Question } from '../generated/prisma/client.js';
import { displayName } from './flows.js';

/**
 * Orders questions for display: an admin's order first where set, else the flow's (D6).
 * @param questions the poll's questions.
 * @returns a sorted copy.
 */
export function orderQuestions<T extends Pick<Question, 'adminOrder' | 'flowOrder'>>(questions: T[]): T[] {
  return [...questions].sort((a, b) => (a.adminOrder ?? a.flowOrder) - (b.adminOrder ?? b.flowOrder) || a.flowOrder - b.flowOrder);
}

/**
 * A poll for lists and headings.
 * @param poll the poll.
 * @returns display name and markers.
 */
export function presentPoll(poll: Poll) {
  return {
    id: poll.id,
    name: displayName(poll),
    rapidproName: poll.rapidproName,
    customName: poll.customName,
    isActive: poll.isActive,
    archived: poll.isArchivedInRapidPro,
    missing: poll.isMissingInRapidPro,
  };
}

/**
 * A question for the summary and edit pages.
 * @param question the question.
 * @returns display name, type and flags.
 */
export function presentQuestion(question: Question) {
  return {
    id: question.id,
    key: question.key,
    name: displayName(question),
    rapidproName: question.rapidproName,
    customName: question.customName,
    type: question.type,
    typeSetByAdmin: question.typeSetByAdmin,
    flowOrder: question.flowOrder,
    adminOrder: question.adminOrder,
    isActive: question.isActive,
    missing: question.isMissingInRapidPro,
    categories: question.categories,
  };
}

/**
 * Sorts polls by display name, case-insensitively.
 * @param polls presented polls.
 * @returns a sorted copy.
 */
export function sortByName<T extends { name: string }>(polls: T[]): T[] {
  return [...polls].sort((a, b) => a.name.localeCompare(b.name, undefined, { sensitivity: 'base' }));
}
