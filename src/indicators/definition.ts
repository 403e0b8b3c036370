import type { Indicator, Poll, Question } from '../generated/prisma/client.js';
import { displayName } from '../polls/flows.js';
import { orgDb } from '../tenancy/orgDb.js';
import type { IndicatorDefinition } from './compute.js';

/** An indicator with the polls and questions it reads. */
export type LoadedIndicator = Indicator & {
  baselinePoll: Poll | null;
  baselineQuestion: Question | null;
  followUpPoll: Poll;
  followUpQuestion: Question;
};

const RELATIONS = { baselinePoll: true, baselineQuestion: true, followUpPoll: true, followUpQuestion: true } as const;

/**
 * Loads one of the org's indicators with its polls and questions.
 * @param orgId the org.
 * @param id the indicator.
 * @returns the indicator, or null when the org has none with that id.
 */
export function loadIndicator(orgId: number, id: number): Promise<LoadedIndicator | null> {
  return orgDb(orgId).indicator.findFirst({ where: { id }, include: RELATIONS });
}

/**
 * The org's indicators with the latest end dates first (spec §14.6).
 * @param orgId the org.
 * @param take how many.
 * @returns the indicators.
 */
export function latestIndicators(orgId: number, take: number): Promise<Indicator[]> {
  return orgDb(orgId).indicator.findMany({ orderBy: [{ endDate: 'desc' }, { id: 'desc' }], take });
}

/**
 * What the computation reads of an indicator.
 * @param indicator the loaded indicator.
 * @returns its definition.
 */
export function definitionOf(indicator: LoadedIndicator): IndicatorDefinition {
  const baseline = indicator.baselinePollId !== null && indicator.baselineQuestion
    ? { pollId: indicator.baselinePollId, questionId: indicator.baselineQuestion.id, type: indicator.baselineQuestion.type }
    : null;
  return {
    baseline,
    goal: indicator.goal === null ? null : indicator.goal.toString(),
    followUp: { pollId: indicator.followUpPollId, questionId: indicator.followUpQuestionId, type: indicator.followUpQuestion.type },
  };
}

/**
 * A calendar day column as `YYYY-MM-DD` (stored as UTC midnight).
 * @param date the column's value.
 * @returns the day.
 */
export function dayOf(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/**
 * "<poll>: <question>", how indicators name a question (spec §14.5).
 * @param poll the poll.
 * @param question the question.
 * @returns the label.
 */
export function questionLabel(poll: Pick<Poll, 'rapidproName' | 'customName'>, question: Pick<Question, 'rapidproName' | 'customName'>): string {
  return `${displayName(poll)}: ${displayName(question)}`;
}
