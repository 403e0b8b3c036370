import type { Request } from 'express';
import { dayOf, type LoadedIndicator } from '../../../indicators/definition.js';
import { msg } from '../../../i18n/msg.js';
import { displayName } from '../../../polls/flows.js';
import { orderQuestions } from '../../../polls/present.js';
import { orgDb } from '../../../tenancy/orgDb.js';
import type { IndicatorFormInput } from './schema.js';

const INVALID_CHOICE = msg('Select a valid choice. That choice is not one of the available choices.');

/** A select option. */
export interface Option {
  value: string;
  label: string;
}

/** The form's submitted (or stored) values, as text. */
export type IndicatorFormValues = Record<'name' | 'startDate' | 'endDate' | 'baselinePoll' | 'baselineQuestion' | 'goal' | 'followUpPoll' | 'followUpQuestion' | 'yAxisTitle', string>;

/**
 * The stored indicator as form values.
 * @param indicator the indicator.
 * @returns the values.
 */
export function valuesOf(indicator: LoadedIndicator): IndicatorFormValues {
  return {
    name: indicator.name,
    startDate: dayOf(indicator.startDate),
    endDate: dayOf(indicator.endDate),
    baselinePoll: indicator.baselinePollId?.toString() ?? '',
    baselineQuestion: indicator.baselineQuestionId?.toString() ?? '',
    goal: indicator.goal?.toString() ?? '',
    followUpPoll: String(indicator.followUpPollId),
    followUpQuestion: String(indicator.followUpQuestionId),
    yAxisTitle: indicator.yAxisTitle,
  };
}

/**
 * Submitted values as text, for showing the form again.
 * @param body the request body.
 * @returns the values.
 */
export function submittedValues(body: unknown): IndicatorFormValues {
  const read = (key: string) => {
    const value = (body as Record<string, unknown> | undefined)?.[key];
    return typeof value === 'string' ? value : '';
  };
  return {
    name: read('name'), startDate: read('startDate'), endDate: read('endDate'), baselinePoll: read('baselinePoll'), baselineQuestion: read('baselineQuestion'),
    goal: read('goal'), followUpPoll: read('followUpPoll'), followUpQuestion: read('followUpQuestion'), yAxisTitle: read('yAxisTitle'),
  };
}

/** Polls an indicator may use: the tracked ones, and those it already uses. */
async function allowedPolls(orgId: number, current?: LoadedIndicator) {
  const kept = [current?.baselinePollId, current?.followUpPollId].filter((id): id is number => typeof id === 'number');
  return orgDb(orgId).poll.findMany({ where: { OR: [{ isActive: true }, { id: { in: kept } }] } });
}

/** The shown questions of a poll in order, plus one the indicator already uses. */
async function questionOptions(orgId: number, pollId: number | null, keepId: number | null): Promise<Option[]> {
  if (pollId === null) return [];
  const questions = await orgDb(orgId).question.findMany({ where: { pollId, OR: [{ isActive: true, isMissingInRapidPro: false }, ...(keepId ? [{ id: keepId }] : [])] } });
  return orderQuestions(questions).map((q) => ({ value: String(q.id), label: displayName(q) }));
}

const idOf = (text: string) => (/^\d+$/.test(text) ? Number(text) : null);

/**
 * The form's choices: polls sorted by name (case-insensitive), and the questions of each chosen
 * poll (the page's script reloads them from /api/polls/:id/questions when a poll changes).
 * @param req the request.
 * @param values the form's values.
 * @param current the indicator being edited.
 * @returns poll and question options.
 */
export async function formChoices(req: Request, values: IndicatorFormValues, current?: LoadedIndicator) {
  const orgId = req.org!.id;
  const polls = (await allowedPolls(orgId, current))
    .map((p) => ({ value: String(p.id), label: displayName(p) }))
    .sort((a, b) => a.label.localeCompare(b.label, undefined, { sensitivity: 'base' }));
  const [baselineQuestions, followUpQuestions] = await Promise.all([
    questionOptions(orgId, idOf(values.baselinePoll), current?.baselineQuestionId ?? null),
    questionOptions(orgId, idOf(values.followUpPoll), current?.followUpQuestionId ?? null),
  ]);
  return { polls, baselineQuestions, followUpQuestions };
}

/**
 * Checks the form's polls and questions against the org (spec §17.11, Q13): each poll is one the
 * indicator may use, each question belongs to its poll. Ids of another org are simply unknown.
 * @param orgId the org (from the request, never from the form).
 * @param data the parsed form.
 * @param current the indicator being edited.
 * @returns field → message key (empty when everything checks out).
 */
export async function checkReferences(orgId: number, data: IndicatorFormInput, current?: LoadedIndicator): Promise<Record<string, string>> {
  const polls = new Set((await allowedPolls(orgId, current)).map((p) => p.id));
  const ids = [data.baselineQuestion, data.followUpQuestion].filter((id): id is number => id !== undefined);
  const questions = new Map((await orgDb(orgId).question.findMany({ where: { id: { in: ids } }, select: { id: true, pollId: true } })).map((q) => [q.id, q.pollId]));
  const errors: Record<string, string> = {};
  const check = (pollField: 'baselinePoll' | 'followUpPoll', questionField: 'baselineQuestion' | 'followUpQuestion') => {
    const pollId = data[pollField];
    const questionId = data[questionField];
    if (pollId === undefined) return;
    if (!polls.has(pollId)) errors[pollField] = INVALID_CHOICE;
    else if (questionId !== undefined && questions.get(questionId) !== pollId) errors[questionField] = msg('Choose a question of this poll.');
  };
  check('baselinePoll', 'baselineQuestion');
  check('followUpPoll', 'followUpQuestion');
  return errors;
}

/**
 * The columns an indicator is saved with (a goal clears the baseline question and the reverse).
 * @param data the checked form.
 * @returns Prisma data without the org (orgDb sets it).
 */
export function indicatorColumns(data: IndicatorFormInput) {
  const goal = data.goal ?? null;
  return {
    name: data.name,
    startDate: new Date(`${data.startDate}T00:00:00Z`),
    endDate: new Date(`${data.endDate}T00:00:00Z`),
    baselinePollId: goal === null ? (data.baselinePoll ?? null) : null,
    baselineQuestionId: goal === null ? (data.baselineQuestion ?? null) : null,
    goal,
    followUpPollId: data.followUpPoll,
    followUpQuestionId: data.followUpQuestion,
    yAxisTitle: data.yAxisTitle,
  };
}
