import { addToDay, localDay, startOfDay } from '../dashboard/dateRange.js';
import type { SpoofedPollRun } from '../db/spoofData.js';
import { msg } from '../i18n/msg.js';

/** Limits of one spoof-data generation (a demo tool must not flood the org's tables). */
export const SpoofLimits = {
  /** Longest term, in days. */
  maxDays: 366,
  /** Most answers written at once (contacts × poll runs). */
  maxAnswers: 50_000,
  /** Most contacts the form lists. */
  contactChoices: 500,
} as const;

/** A question to fill, with the range of its random values. */
export interface SpoofQuestion {
  pollId: number;
  questionId: number;
  /** Values are whole numbers in [min, max), exactly min when min = max. */
  min: number;
  max: number;
}

/** What to generate (spec §14.7). */
export interface SpoofRequest {
  contactIds: number[];
  /** Org-local days, both included. */
  startDate: string;
  endDate: string;
  baseline: SpoofQuestion;
  followUp: SpoofQuestion;
}

/**
 * The days of a term, both ends included.
 * @param start the first day.
 * @param end the last day.
 * @returns YYYY-MM-DD days.
 */
export function daysOf(start: string, end: string): string[] {
  const days: string[] = [];
  for (let day = start; day <= end && days.length <= SpoofLimits.maxDays; day = addToDay(day, { days: 1 })) days.push(day);
  return days;
}

/**
 * A random whole number in [min, max) — exactly min when min = max (spec §14.7).
 * @param question the range.
 * @param random a source of numbers in [0, 1).
 * @returns the value as text.
 */
export function spoofValue(question: Pick<SpoofQuestion, 'min' | 'max'>, random: () => number): string {
  return String(question.min + Math.floor(random() * (question.max - question.min)));
}

/**
 * The poll runs a spoof request writes (spec §14.7): one for the baseline poll on the first day,
 * and one for the follow-up poll on every day of the term; each at the current org-local time of
 * day, so the org-local day of every poll run is the day asked for.
 * @param request what to generate.
 * @param context the org's zone, now and a random source (tests pin both).
 * @returns the poll runs with an answer per contact.
 */
export function spoofPlan(request: SpoofRequest, context: { timeZone: string; now: Date; random?: () => number }): SpoofedPollRun[] {
  const random = context.random ?? Math.random;
  const today = localDay(context.now, context.timeZone);
  const timeOfDay = context.now.getTime() - startOfDay(today, context.timeZone).getTime();
  const at = (day: string) => new Date(startOfDay(day, context.timeZone).getTime() + timeOfDay);
  const runOf = (question: SpoofQuestion, day: string): SpoofedPollRun => ({
    pollId: question.pollId,
    questionId: question.questionId,
    conductedOn: at(day),
    answers: new Map(request.contactIds.map((id) => [id, spoofValue(question, random)])),
  });
  return [runOf(request.baseline, request.startDate), ...daysOf(request.startDate, request.endDate).map((day) => runOf(request.followUp, day))];
}

/**
 * Checks a request against the limits.
 * @param request what to generate.
 * @returns field → message key, empty when within the limits.
 */
export function spoofLimitErrors(request: Pick<SpoofRequest, 'contactIds' | 'startDate' | 'endDate'>): Record<string, string> {
  const days = daysOf(request.startDate, request.endDate).length;
  if (days > SpoofLimits.maxDays) return { endDate: msg('A term of spoof data lasts at most 366 days.') };
  if (request.contactIds.length * (days + 1) > SpoofLimits.maxAnswers) return { contacts: msg('That would write more than 50,000 answers: choose fewer contacts or days.') };
  return {};
}
