import type { QuestionTypeName } from '../polls/rules.js';
import type { OrgSettings } from '../tenancy/orgSettings.js';

/** The stored values of an answer that valueToUse chooses from (spec §10.2). */
export interface AnswerValues {
  value: string;
  lastValue: string;
  sumValue: string;
}

/**
 * The value charts use for an answer (spec §10.2): for numeric questions the precomputed same-day
 * value of the org's mode (both are stored, so switching the setting needs no recomputation);
 * the raw value for every other type.
 * @param answer the answer's stored values.
 * @param type the question's type.
 * @param mode the org's same-day mode.
 * @returns the value to chart.
 */
export function valueToUse(answer: AnswerValues, type: QuestionTypeName, mode: OrgSettings['sameDayMode']): string {
  if (type !== 'numeric') return answer.value;
  return mode === 'sum' ? answer.sumValue : answer.lastValue;
}
